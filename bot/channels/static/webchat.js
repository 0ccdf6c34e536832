// Minimal web chat client. The sender id is random and kept only in this tab
// (sessionStorage), so closing the tab leaves nothing behind on the device.
// Leave (and EXIT) end the conversation on the server, clear this page and
// go to an ordinary page chosen by the operator (data-leave-url).
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var input = document.getElementById("text");
  var leaveUrl = document.body.getAttribute("data-leave-url") || "https://www.google.com/";
  var WORDS = {
    en: { title: "Chat", leave: "Leave", leaveTitle: "Clear this chat and leave", send: "Send",
          label: "Message", placeholder: "Type a message\u2026",
          hint: "Private chat. Type EXIT any time to end it. The chat is cleared when you close this tab.",
          person: "A person from our team", error: "Could not reach the assistant. Please try again." },
    es: { title: "Chat", leave: "Salir", leaveTitle: "Borrar este chat y salir", send: "Enviar",
          label: "Mensaje", placeholder: "Escribe un mensaje\u2026",
          hint: "Chat privado. Escribe SALIR cuando quieras para terminarlo. El chat se borra al cerrar esta pesta\u00f1a.",
          person: "Una persona del equipo", error: "No se pudo conectar. Int\u00e9ntalo de nuevo." }
  };
  var lang = sessionStorage.getItem("hotline-lang") || "";
  var sender = sessionStorage.getItem("hotline-sender");
  if (!sender) {
    sender = "web-" + crypto.randomUUID();
    sessionStorage.setItem("hotline-sender", sender);
  }

  function words() { return WORDS[lang] || WORDS.en; }

  // The page's own words follow the texter's language (the server's Content-Language).
  function setLanguage(next) {
    if (!WORDS[next]) { return; }
    lang = next;
    sessionStorage.setItem("hotline-lang", lang);
    var w = words();
    document.documentElement.lang = lang;
    document.getElementById("title").textContent = w.title;
    var leave = document.getElementById("leave");
    leave.textContent = w.leave;
    leave.title = w.leaveTitle;
    document.getElementById("send").textContent = w.send;
    document.getElementById("text-label").textContent = w.label;
    input.placeholder = w.placeholder;
    document.getElementById("hint").textContent = w.hint;
  }
  if (lang) { setLanguage(lang); }

  function add(text, who) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    if (who === "person") {
      var tag = document.createElement("span");
      tag.className = "who";
      tag.textContent = words().person;
      div.appendChild(tag);
    }
    div.appendChild(document.createTextNode(text));
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  function clearPage() {
    sessionStorage.clear();
    log.textContent = "";
    input.value = "";
  }

  async function send(text) {
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
        if (res.headers.get("X-Webchat-Ended") === "1") {
          // EXIT: nothing of this chat stays on the page; a new one starts fresh.
          clearPage();
          sender = "web-" + crypto.randomUUID();
          sessionStorage.setItem("hotline-sender", sender);
          data.forEach(function (m) { add(m.text, "bot"); });
          return;
        }
        setLanguage(res.headers.get("Content-Language") || "");
        data.forEach(function (m) { add(m.text, "bot"); });
        return;
      } catch (e) {
        // Same message_id on retry: the server answers once, never twice.
        await new Promise(function (r) { setTimeout(r, 1000 * (i + 1)); });
      }
    }
    add(words().error, "err");
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
        (await res.json()).forEach(function (m) {
          add(m.text, m.from === "person" ? "person" : "bot");
        });
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
    // Tell the server (keepalive: it is sent even as the page goes away), then leave.
    try {
      fetch("leave", { method: "POST", keepalive: true,
                       headers: { "Content-Type": "application/json" },
                       body: JSON.stringify({ sender: sender }) });
    } catch (e) { /* leaving matters more than telling */ }
    clearPage();
    window.location.replace(leaveUrl);
  });
})();
