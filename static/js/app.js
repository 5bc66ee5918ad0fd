/* Charts from server-built ECharts options, and progress for plain form posts.
   Options are JSON (json_script); functions a JSON cannot carry are added here. */
(function () {
  "use strict";
  var vn = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  function vnFormat(v) {
    if (v === null || v === undefined || v === "-") return "–";
    return typeof v === "number" ? vn.format(v) : String(v);
  }
  function axes(a) { return a ? (Array.isArray(a) ? a : [a]) : []; }
  // The server leaves out charts with nothing to draw (targets.charts.has_data);
  // an option handed over without a value still gets words, not an empty axis.
  function hasData(opt) {
    return (opt.series || []).some(function (s) {
      return (s.data || []).some(function (p) {
        var v = p !== null && typeof p === "object" ? p.value : p;
        return v !== null && v !== undefined;
      });
    });
  }
  function initCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src) return;
      var old = window.echarts.getInstanceByDom(el);
      if (old) old.dispose();
      var opt = JSON.parse(src.textContent);
      if (!hasData(opt)) {
        el.classList.add("chart-empty");
        el.setAttribute("role", "note");
        el.textContent = "Chưa có số liệu";
        return;
      }
      opt.animation = false; // office PCs: draw at once, no half-grown bars
      opt.tooltip = opt.tooltip || {};
      opt.tooltip.valueFormatter = vnFormat;
      axes(opt.xAxis).concat(axes(opt.yAxis)).forEach(function (ax) {
        if (ax.type === "value") { ax.axisLabel = ax.axisLabel || {}; ax.axisLabel.formatter = vnFormat; }
      });
      (opt.series || []).forEach(function (s) {
        if (s.label && s.label.show) s.label.formatter = function (p) { return vnFormat(p.value); };
      });
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(opt);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  document.addEventListener("htmx:afterSettle", function (e) { initCharts(e.target); });
  var timer;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!window.echarts) return;
      document.querySelectorAll("[data-chart]").forEach(function (el) {
        var c = window.echarts.getInstanceByDom(el);
        if (c) c.resize();
      });
    }, 150);
  });
  // The CSP forbids on* attributes: <select data-autosubmit> submits its form here.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.form && el.hasAttribute("data-autosubmit")) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
  });
  // "Add a row" buttons send the next row number (no hx-vals "js:": the CSP forbids eval).
  document.addEventListener("htmx:configRequest", function (e) {
    var sel = e.detail.elt && e.detail.elt.getAttribute("data-row-index");
    if (sel) e.detail.parameters.i = document.querySelectorAll(sel).length + 1;
  });
  // A plain (non-htmx) form post reloads the page: show the bar meanwhile.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute("hx-post") || form.method.toLowerCase() === "get") return;
    document.getElementById("page-progress").classList.add("htmx-request");
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-busy", "true"); });
  });
})();
