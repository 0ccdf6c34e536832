// Live queue: poll /api/queue every 2 s and redraw the table (no inline scripts: strict CSP).
// A new open emergency shows a banner and plays a short tone (WebAudio; browsers may
// keep it silent until the advocate has clicked somewhere on the page).
(function () {
  "use strict";
  var body = document.getElementById("queue-body");
  if (!body) { return; }
  var pollUrl = body.getAttribute("data-poll");
  var mineOnly = body.getAttribute("data-mine") === "1";
  var banner = document.getElementById("emergency-banner");
  var stale = document.getElementById("queue-stale");
  var count = document.getElementById("queue-count");
  var known = {};
  Array.prototype.forEach.call(body.querySelectorAll("tr.prio-emergency"), function (tr) {
    known[tr.getAttribute("data-request")] = true;
  });
  var audio = null;

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return; }
      audio = audio || new Ctx();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.35);
    } catch (e) { /* no sound available: the banner still shows */ }
  }

  function cell(tr, text, badgeClass) {
    var td = document.createElement("td");
    if (badgeClass) {
      var span = document.createElement("span");
      span.className = "badge " + badgeClass;
      span.textContent = text;
      td.appendChild(span);
    } else {
      td.textContent = text;
    }
    tr.appendChild(td);
    return td;
  }

  var csrf = document.querySelector('meta[name="csrf-token"]');
  function claimForm(action) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = action;
    form.className = "inline";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrf ? csrf.getAttribute("content") : "";
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "claim-row";
    button.textContent = "Claim";
    form.appendChild(token);
    form.appendChild(button);
    return form;
  }

  function render(data) {
    var rows = data.entries || [];
    if (mineOnly) { rows = rows.filter(function (r) { return r.claimed_by_me; }); }
    var fresh = false;
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.className = "prio-" + r.priority + (r.status === "claimed" ? " claimed" : "") +
        (r.escalated ? " escalated" : "");
      tr.setAttribute("data-request", String(r.request_id));
      cell(tr, r.priority, r.priority);
      var reason = cell(tr, r.reason_label);
      if (r.returning) {
        var badge = document.createElement("span");
        badge.className = "badge returning";
        badge.textContent = "returning";
        reason.appendChild(document.createTextNode(" "));
        reason.appendChild(badge);
      }
      cell(tr, r.wait);
      cell(tr, r.channel_label);
      cell(tr, r.language_label);
      if (r.minor) { cell(tr, "minor", "minor"); } else { cell(tr, ""); }
      cell(tr, r.claimed_by || (r.offered_to ? "offered to " + r.offered_to : "\u2014"));
      if (r.offered_to_me) { tr.className += " offered-to-me"; }
      var td = cell(tr, "");
      td.className = "row-actions";
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = "Open";
      td.appendChild(a);
      if (r.status === "open") { td.appendChild(claimForm(r.claim_url)); }
      frag.appendChild(tr);
      if (r.emergency && r.status === "open" && !known[r.request_id]) { fresh = true; }
      if (r.emergency) { known[r.request_id] = true; }
    });
    if (!rows.length) {
      var tr = document.createElement("tr");
      tr.className = "empty";
      var td = cell(tr, "Nobody is waiting.");
      td.colSpan = 8;
      td.className = "muted";
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
    if (count) { count.textContent = data.open + " waiting"; }
    if (banner) { banner.hidden = !(data.emergencies && data.emergencies.length); }
    if (fresh) {
      if (banner) { banner.classList.add("flash-new"); }
      beep();
    }
  }

  function poll() {
    fetch(pollUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        if (res.status === 401) { window.location.reload(); return null; }
        if (!res.ok) { throw new Error("HTTP " + res.status); }
        return res.json();
      })
      .then(function (data) {
        if (data) { render(data); }
        if (stale) { stale.hidden = true; }
      })
      .catch(function () { if (stale) { stale.hidden = false; } })
      .finally(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
}());
