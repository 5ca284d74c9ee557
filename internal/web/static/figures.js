// The figures page's two charts; the data is the JSON block #figures-data.
(function () {
  "use strict";
  var el = document.getElementById("figures-data");
  if (!el || !window.echarts) { return; }
  var d = JSON.parse(el.textContent || "{}") || {};
  function open(p) { if (p.data && p.data.link) { window.location = p.data.link; } }
  var pie = echarts.init(document.getElementById("chart-themes"));
  pie.setOption({tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], data: d.themes || []}]});
  pie.on("click", open);
  var cl = d.classes || [];
  var bar = echarts.init(document.getElementById("chart-classes"));
  bar.setOption({tooltip: {}, grid: {left: 40, right: 10, bottom: 60},
    xAxis: {type: "category", data: cl.map(function (x) { return x.name; }), axisLabel: {interval: 0, width: 90, overflow: "break"}},
    yAxis: {type: "value", minInterval: 1},
    series: [{type: "bar", data: cl.map(function (x) { return {value: x.value, link: x.link}; }), itemStyle: {color: "#b71c1c"}}]});
  bar.on("click", open);
  window.addEventListener("resize", function () { pie.resize(); bar.resize(); });
})();
