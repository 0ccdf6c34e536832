// Conversation page: canned replies into the reply box, and a live transcript with
// delivery states (poll every 2 s). No inline scripts: strict CSP. Message text is
// only ever set with textContent.
(function () {
  "use strict";
  var box = document.getElementById("reply-text");
  Array.prototype.forEach.call(document.querySelectorAll("button.canned-reply"), function (btn) {
    btn.addEventListener("click", function () {
      if (!box) { return; }
      var text = btn.getAttribute("data-text") || "";
      var start = box.selectionStart, end = box.selectionEnd;
      if (typeof start === "number" && box.value) {
        box.value = box.value.slice(0, start) + text + box.value.slice(end);
        box.selectionStart = box.selectionEnd = start + text.length;
      } else {
        box.value = text;
      }
      box.focus();
      var ph = box.value.match(/\[[A-Z\u00c1\u00c9\u00cd\u00d3\u00da\u00d1\u00dc][^\]]*\]/);
      if (ph) {  // select the first placeholder so typing replaces it
        var at = box.value.indexOf(ph[0]);
        box.setSelectionRange(at, at + ph[0].length);
      }
    });
  });

  // A draft survives the page updating itself (claim, transfer, a status change):
  // kept in this tab only, for this conversation, and removed once restored or sent.
  var draftKey = "draft:" + window.location.pathname;
  if (box) {
    var saved = sessionStorage.getItem(draftKey);
    if (saved && !box.value) { box.value = saved; }
    sessionStorage.removeItem(draftKey);
    var replyForm = document.getElementById("reply-form");
    // The reply box stays in view and focused when the conversation is mine.
    box.scrollIntoView({ block: "center" });
    box.focus();
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && replyForm) {
        ev.preventDefault();   // Ctrl+Enter sends
        if (replyForm.requestSubmit) { replyForm.requestSubmit(); } else { replyForm.submit(); }
      }
    });
  }
  function keepDraft() {
    if (box && box.value.trim()) { sessionStorage.setItem(draftKey, box.value); }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    if (form.id === "reply-form") { return; }
    form.addEventListener("submit", keepDraft);  // transfer, notes, close: keep the reply draft
  });
  

  var list = document.getElementById("transcript");
  if (!list) { return; }
  var pollUrl = list.getAttribute("data-poll");
  var statusEl = document.getElementById("request-status");
  var lastStatus = statusEl ? statusEl.textContent : null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function stamp(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return iso; }
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds()) + " UTC";
  }

  function item(e) {
    var li = document.createElement("li");
    li.className = "msg " + e.author;
    li.setAttribute("data-key", e.key);
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = e.author_name + " \u00b7 " + stamp(e.at) + (e.held ? " \u00b7 held for a person" : "");
    if (e.status) {
      var st = document.createElement("span");
      st.className = "status status-" + e.status;
      st.textContent = e.status;
      meta.appendChild(st);
    }
    li.appendChild(meta);
    li.appendChild(document.createTextNode(e.text));
    return li;
  }

  function render(data) {
    var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    var frag = document.createDocumentFragment();
    (data.entries || []).forEach(function (e) { frag.appendChild(item(e)); });
    list.replaceChildren(frag);
    if (atBottom) { list.scrollTop = list.scrollHeight; }
    // The close form's warning follows the transcript: the texter wrote last.
    var unanswered = document.getElementById("unanswered");
    var entries = data.entries || [];
    if (unanswered) {
      unanswered.hidden = !(entries.length && entries[entries.length - 1].author === "texter");
    }
    // Someone else claimed, transferred or closed it: reload so the buttons match.
    if (data.request && lastStatus !== null && data.request.status !== lastStatus) {
      keepDraft();
      window.location.reload();
    }
    var owner = document.getElementById("request-owner");
    if (data.request && owner && (data.request.claimed_by || "") !== owner.getAttribute("data-owner")) {
      keepDraft();   // transferred to someone else (or to me): the buttons must match
      window.location.reload();
    }
  }

  function poll() {
    fetch(pollUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        if (res.status === 401) { window.location.reload(); return null; }
        if (!res.ok) { throw new Error("HTTP " + res.status); }
        return res.json();
      })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* keep the last transcript; try again */ })
      .finally(function () { window.setTimeout(poll, 2000); });
  }
  list.scrollTop = list.scrollHeight;
  window.setTimeout(poll, 2000);
}());
