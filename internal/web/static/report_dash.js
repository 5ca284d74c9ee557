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
    if (c.kind === "heatmap") { heat(ch, c); charts.push(ch); return; }
    ch.setOption({
      tooltip: {}, grid: {left: 48, right: 12, bottom: 72},
      xAxis: {type: "category", data: c.bars.map(function (b) { return b.name; }), axisLabel: {interval: 0, rotate: c.bars.length > 6 ? 30 : 0, width: 96, overflow: "truncate"}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: c.bars.map(function (b) { return {value: b.value, link: b.link}; }), itemStyle: {color: "#b71c1c"}}]
    });
    ch.on("click", function (p) { if (p.data && p.data.link) { window.location = p.data.link; } });
    charts.push(ch);
  });
  // heat draws a heat map: columns and rows in the order the cells come,
  // each cell opening its records.
  function heat(ch, c) {
    var cols = [], rows = [], max = 0;
    c.bars.forEach(function (b) {
      if (cols.indexOf(b.col) < 0) { cols.push(b.col); }
      if (rows.indexOf(b.row) < 0) { rows.push(b.row); }
      if (b.value > max) { max = b.value; }
    });
    ch.setOption({
      tooltip: {formatter: function (p) { return p.data.name + "：" + p.data.value[2]; }},
      grid: {left: 8, right: 12, top: 8, bottom: 56, containLabel: true},
      xAxis: {type: "category", data: cols, splitArea: {show: true}},
      yAxis: {type: "category", data: rows, inverse: true, splitArea: {show: true}},
      visualMap: {min: 0, max: Math.max(max, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0,
        inRange: {color: ["#fff5f5", "#b71c1c"]}},
      series: [{type: "heatmap", label: {show: true}, data: c.bars.map(function (b) {
        return {name: b.name, value: [cols.indexOf(b.col), rows.indexOf(b.row), b.value], link: b.link};
      })}]
    });
    ch.on("click", function (p) { if (p.data && p.data.link) { window.location = p.data.link; } });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
