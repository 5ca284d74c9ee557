// The report dashboard's charts: one bar chart per chart of the JSON block
// #dash-data; a click on a bar opens the records behind it.
(function () {
  "use strict";
  var el = document.getElementById("dash-data");
  if (!el || !window.echarts) { return; }
  var d = JSON.parse(el.textContent || "{}") || {};
  var charts = [];
  (d.charts || []).forEach(function (c) {
    var box = document.getElementById("chart-" + c.id);
    if (!box || !c.bars || !c.bars.length) { return; }
    var ch = echarts.init(box);
    ch.setOption({
      tooltip: {}, grid: {left: 48, right: 12, bottom: 72},
      xAxis: {type: "category", data: c.bars.map(function (b) { return b.name; }), axisLabel: {interval: 0, rotate: c.bars.length > 6 ? 30 : 0, width: 96, overflow: "truncate"}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: c.bars.map(function (b) { return {value: b.value, link: b.link}; }), itemStyle: {color: "#b71c1c"}}]
    });
    ch.on("click", function (p) { if (p.data && p.data.link) { window.location = p.data.link; } });
    charts.push(ch);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
