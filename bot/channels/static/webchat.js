// Minimal web chat client. The sender id is random and kept only in this tab
// (sessionStorage), so closing the tab leaves nothing behind on the device.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var input = document.getElementById("text");
  var sender = sessionStorage.getItem("hotline-sender");
  if (!sender) {
    sender = "web-" + crypto.randomUUID();
    sessionStorage.setItem("hotline-sender", sender);
  }

  function add(text, who) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  async function send(text, attempt) {
    var messageId = crypto.randomUUID();
    for (var i = 0; i < 4; i++) {
      try {
        var res = await fetch("webhook", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ sender: sender, message: text, message_id: messageId })
        });
        var data = await res.json();
        // 503 with replies: the message could not be stored; the numbers are shown.
        if (!res.ok && Array.isArray(data)) { data.forEach(function (m) { add(m.text, "err"); }); return; }
        if (!res.ok) { add(data.error || "Something went wrong.", "err"); return; }
        data.forEach(function (m) { add(m.text, "bot"); });
        return;
      } catch (e) {
        // Same message_id on retry: the server answers once, never twice.
        await new Promise(function (r) { setTimeout(r, 1000 * (i + 1)); });
      }
    }
    add("Could not reach the assistant. Please try again.", "err");
  }

  // Later messages (a person from the team, the hand-back line) are picked up here.
  async function poll() {
    try {
      var res = await fetch("updates", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender })
      });
      if (res.ok) {
        (await res.json()).forEach(function (m) { add(m.text, "bot"); });
      }
    } catch (e) { /* offline for a moment: try again on the next tick */ }
    setTimeout(poll, 3000);
  }
  setTimeout(poll, 3000);

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    add(text, "me");
    send(text);
  });

  document.getElementById("leave").addEventListener("click", function () {
    sessionStorage.clear();
    log.textContent = "";
    window.location.replace("about:blank");
  });
})();
