/* The reports page: fetch data.json with the page's filters, then draw every chart
   (Chart.js, vendored) with its table beside it and a CSV link. No inline code:
   the strict CSP allows scripts from the console only. */
(function () {
  "use strict";
  var root = document.getElementById("reports");
  var statusLine = document.getElementById("report-status");
  var form = document.getElementById("report-filters");
  if (!root || !form || typeof Chart === "undefined") { return; }
  var charts = [];

  function params() {
    var q = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) { q.append(key, value); } });
    return q;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function table(chart) {
    var t = el("table", {"class": "report-table", "data-chart": chart.id});
    var head = el("tr");
    head.appendChild(el("th", {scope: "col"}, chart.label_name));
    chart.series.forEach(function (s) { head.appendChild(el("th", {scope: "col", "class": "num"}, s.name)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    chart.labels.forEach(function (label, i) {
      var row = el("tr");
      row.appendChild(el("th", {scope: "row"}, label));
      chart.series.forEach(function (s) {
        var v = s.data[i];
        row.appendChild(el("td", {"class": "num"}, v === null ? "" : v));
      });
      body.appendChild(row);
    });
    return t;
  }

  function draw(chart, q) {
    var section = el("section", {"class": "report", id: "chart-" + chart.id});
    section.appendChild(el("h2", {}, chart.title));
    var pair = section.appendChild(el("div", {"class": "pair"}));
    var box = pair.appendChild(el("div", {"class": "chart-box"}));
    var canvas = box.appendChild(el("canvas", {role: "img", "aria-label": chart.title}));
    pair.appendChild(el("div", {"class": "table-box"})).appendChild(table(chart));
    if (chart.note) { section.appendChild(el("p", {"class": "note muted"}, chart.note)); }
    var csv = new URLSearchParams(q);
    csv.set("chart", chart.id);
    section.appendChild(el("a", {"class": "csv", href: root.dataset.csv + "?" + csv.toString(),
                                 download: chart.id + ".csv"}, "Download CSV"));
    root.appendChild(section);
    charts.push(new Chart(canvas, {
      type: chart.kind,
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (s) {
          return {label: s.name, data: s.data, borderWidth: chart.kind === "line" ? 2 : 1,
                  pointRadius: 0, tension: 0.2};
        })
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {x: {stacked: chart.kind === "bar" && chart.series.length > 1},
                 y: {beginAtZero: true, stacked: chart.kind === "bar" && chart.series.length > 1}},
        plugins: {legend: {display: chart.series.length > 1}}
      }
    }));
  }

  function load() {
    var q = params();
    statusLine.textContent = "Loading…";
    fetch(root.dataset.source + "?" + q.toString(),
          {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) {
        if (!r.ok) { throw new Error("The reports could not be loaded (" + r.status + ")."); }
        return r.json();
      })
      .then(function (data) {
        charts.forEach(function (c) { c.destroy(); });
        charts = [];
        root.textContent = "";
        data.charts.forEach(function (c) { draw(c, q); });
        statusLine.textContent = "Showing " + data.filters.from + " to " + data.filters.to +
          (data.filters.channel ? ", " + data.filters.channel : "") +
          (data.filters.language ? ", " + data.filters.language : "") + ".";
        root.dataset.loaded = "true";
      })
      .catch(function (err) { statusLine.textContent = err.message; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?" + params().toString());
    root.dataset.loaded = "false";
    load();
  });
  load();
}());
