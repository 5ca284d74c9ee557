// The figures page's two charts; the data is the JSON block #figures-data.
// Drawn as SVG, with every label whole: on a narrow screen the classes are
// bars across (names on the left, wrapped, never cut) and the themes' pie
// sits above its legend.
(function () {
  "use strict";
  var el = document.getElementById("figures-data");
  if (!el || !window.echarts) { return; }
  var d = JSON.parse(el.textContent || "{}") || {};
  function open(p) { if (p.data && p.data.link) { window.location = p.data.link; } }
  var pieEl = document.getElementById("chart-themes"), barEl = document.getElementById("chart-classes");
  var pie = echarts.init(pieEl, null, {renderer: "svg"});
  var bar = echarts.init(barEl, null, {renderer: "svg"});
  var cl = d.classes || [];
  function draw() {
    var narrow = barEl.clientWidth < 480;
    pie.setOption({tooltip: {trigger: "item"},
      legend: narrow ? {bottom: 0, type: "plain"} : {show: false},
      series: [{type: "pie", radius: narrow ? ["25%", "45%"] : ["35%", "65%"], center: ["50%", narrow ? "38%" : "50%"],
        label: narrow ? {show: false} : {overflow: "break", width: 110},
        data: d.themes || []}]}, true);
    var names = cl.map(function (x) { return x.name; });
    var values = cl.map(function (x) { return {value: x.value, link: x.link}; });
    barEl.style.height = narrow ? Math.max(240, cl.length * 56 + 40) + "px" : "";
    bar.resize();
    var label = {interval: 0, overflow: "break", width: narrow ? Math.max(100, barEl.clientWidth * 0.42) : 90};
    bar.setOption({tooltip: {}, grid: {left: 8, right: 16, top: 10, bottom: 8, containLabel: true},
      xAxis: narrow ? {type: "value", minInterval: 1} : {type: "category", data: names, axisLabel: label},
      yAxis: narrow ? {type: "category", data: names, inverse: true, axisLabel: label} : {type: "value", minInterval: 1},
      series: [{type: "bar", data: values, itemStyle: {color: "#b71c1c"}}]}, true);
  }
  draw();
  pie.on("click", open);
  bar.on("click", open);
  window.addEventListener("resize", function () { draw(); pie.resize(); bar.resize(); });
})();
