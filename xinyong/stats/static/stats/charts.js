// Draws the statistics dashboard's charts with ECharts (served from this site's static
// files). Each chart's figures come from a <script type="application/json"> block written by
// Django's json_script, so the Content-Security-Policy can refuse every inline script. The
// same figures are in the table below each chart; the chart itself is an image to a screen
// reader. Tooltips are rich text (not HTML), so no inline style is ever created.
(() => {
  const draw = (box) => {
    const source = document.getElementById(box.dataset.chart);
    if (!source || typeof echarts === "undefined") return;
    const spec = JSON.parse(source.textContent);
    const chart = echarts.init(box, null, { renderer: "canvas" });
    let option;
    if (spec.kind === "pie") {
      option = {
        tooltip: { trigger: "item", renderMode: "richText" },
        legend: { type: "scroll", bottom: 0 },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          data: spec.categories.map((name, i) => ({ name, value: spec.series[0].data[i] })),
        }],
      };
    } else {
      option = {
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { type: "scroll", top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 64, containLabel: true },
        xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: spec.series.map((s) => ({
          name: s.name, type: "bar", data: s.data, stack: spec.kind === "stack" ? "all" : undefined,
        })),
      };
    }
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
  };
  const start = () => document.querySelectorAll("[data-chart]").forEach(draw);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
