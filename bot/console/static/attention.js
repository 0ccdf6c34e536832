// On every console page: keep the advocate's attention where a texter needs it.
// Polls /api/queue (marked background on the server: not activity) and
// - puts the number of waiting requests in the tab title: "(2) Queue · Hotline console";
// - shows a browser notification for each new waiting request (after the advocate
//   turned notifications on with the button in the top bar);
// - while an emergency or a minor's request is escalated (unclaimed past the window),
//   shows the alert strip and repeats a louder two-tone cue every 8 seconds until a
//   person claims it. Browsers stay silent until the page was clicked once.
// Nothing here carries message text or a contact. No inline scripts: strict CSP.
(function () {
  "use strict";
  var alertBox = document.getElementById("escalation-alert");
  if (!alertBox) { return; }
  var pollUrl = alertBox.getAttribute("data-poll");
  var link = document.getElementById("escalation-link");
  var notifyBtn = document.getElementById("notify-on");
  var baseTitle = document.title;
  var seen = null;       // request ids already announced (null until the first poll)
  var seenMine = null;   // newest texter message ids in my conversations, announced
  var escalated = [];
  var audio = null;
  var lastCue = 0;

  function canNotify() { return "Notification" in window; }
  function showNotifyButton() {
    if (!notifyBtn) { return; }
    notifyBtn.hidden = !canNotify() || Notification.permission !== "default";
  }
  if (notifyBtn) {
    notifyBtn.addEventListener("click", function () {
      if (!canNotify()) { return; }
      Notification.requestPermission().then(showNotifyButton);
    });
    showNotifyButton();
  }

  function notify(title, body, url, tag) {
    if (!canNotify() || Notification.permission !== "granted") { return; }
    try {
      var n = new Notification(title, { body: body, tag: tag, requireInteraction: true });
      n.onclick = function () { window.focus(); window.location.href = url; n.close(); };
    } catch (e) { /* some browsers only notify from a service worker: the strip shows */ }
  }

  function tone(freq, start, length, gain) {
    var osc = audio.createOscillator();
    var g = audio.createGain();
    osc.type = "square";
    osc.frequency.value = freq;
    g.gain.value = gain;
    osc.connect(g);
    g.connect(audio.destination);
    osc.start(audio.currentTime + start);
    osc.stop(audio.currentTime + start + length);
  }

  function loudCue() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return; }
      audio = audio || new Ctx();
      tone(988, 0, 0.25, 0.4);
      tone(740, 0.3, 0.25, 0.4);
      tone(988, 0.6, 0.25, 0.4);
    } catch (e) { /* no sound: the strip still shows */ }
  }

  var nextUrl = null;
  document.addEventListener("keydown", function (ev) {
    // Alt+Shift+N: the most urgent waiting request (the queue's order).
    if (ev.altKey && ev.shiftKey && (ev.key === "N" || ev.key === "n") && nextUrl) {
      ev.preventDefault();
      window.location.href = nextUrl;
    }
  });

  function render(data) {
    var firstOpen = (data.entries || []).filter(function (r) { return r.status === "open"; })[0];
    nextUrl = firstOpen ? firstOpen.url : null;
    var open = data.open || 0;
    var mineWaiting = data.mine_waiting || [];
    var count = open + mineWaiting.length;
    document.title = (count ? "(" + count + ") " : "") + baseTitle;
    var fresh = {};
    (data.entries || []).forEach(function (r) {
      if (r.status !== "open") { return; }
      fresh[r.request_id] = true;
      if (seen !== null && !seen[r.request_id]) {
        notify((r.emergency ? "Emergency waiting" : "New request waiting") +
               (r.offered_to_me ? " \u2014 offered to you" : ""),
               r.reason_label + " \u00b7 " + r.channel_label, r.url, "request-" + r.request_id);
      }
    });
    // A texter wrote again in one of mine (each of their messages announced once).
    mineWaiting.forEach(function (m) {
      if (seenMine !== null && !seenMine[m.key]) {
        notify("A texter wrote again", "In one of your conversations", m.url, "reply-" + m.key);
      }
    });
    seenMine = {};
    mineWaiting.forEach(function (m) { seenMine[m.key] = true; });
    seen = fresh;
    escalated = data.escalated || [];
    alertBox.hidden = !escalated.length;
    document.body.classList.toggle("escalated", escalated.length > 0);
    if (escalated.length) {
      if (link) { link.href = escalated[0].url; }
      escalated.forEach(function (e) {
        notify("UNCLAIMED " + e.priority.toUpperCase(), "Nobody has claimed it. Please take it now.",
               e.url, "escalated-" + e.request_id);
      });
      var now = Date.now();
      if (now - lastCue > 7500) { lastCue = now; loudCue(); }
    }
  }

  function poll() {
    fetch(pollUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* next tick */ })
      .finally(function () { window.setTimeout(poll, 3000); });
  }
  poll();
}());
