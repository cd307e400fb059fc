// PayTrack's charts: ApexCharts 4.7.0 (from npm) behind the few functions Components/Pages/Dashboard/ChartIsland.razor
// calls through JS interop. A chart is drawn once and updated in place when its page's data changes.
import ApexCharts from "../lib/apexcharts/apexcharts.esm.js";

const charts = new WeakMap();
const dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
const accent = "#2563eb";

function nonce() {
  const meta = document.querySelector('meta[name="csp-nonce"]');
  return meta ? meta.content : undefined;
}

function hours(v) {
  return v === null || v === undefined ? "" : Number(v).toFixed(2) + " h";
}

function money(v) {
  return v === null || v === undefined ? "" : "$" + Number(v).toFixed(2);
}

function clock(v) {
  if (v === null || v === undefined) {
    return "";
  }
  const total = Math.round(Number(v) * 60);
  const day = Math.floor(total / 1440);
  const minutes = total - day * 1440;
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return hh + ":" + mm + (day > 0 ? " +1" : "");
}

const formats = { hours: hours, money: money, clock: clock };

// How many x-axis labels fit: about one per 56 px of the chart's width, so labels never collide at 390 px.
function ticksFor(element, count) {
  const width = element.getBoundingClientRect().width || 600;
  return Math.max(2, Math.min(count, Math.floor(width / 56)));
}

function base(spec, type) {
  return {
    chart: {
      type: type,
      height: spec.height || 300,
      stacked: !!spec.stacked,
      toolbar: { show: false },
      zoom: { enabled: false },
      animations: { enabled: false },
      background: "transparent",
      fontFamily: "inherit",
      nonce: nonce(),
      redrawOnParentResize: true,
    },
    theme: { mode: dark ? "dark" : "light" },
    colors: spec.colors && spec.colors.length ? spec.colors : [accent],
    dataLabels: { enabled: false },
    legend: { position: "top", showForSingleSeries: false },
    noData: { text: "Nothing to show" },
  };
}

function bar(spec, element) {
  const format = formats[spec.format] || hours;
  const categories = spec.categories || [];
  const narrow = ticksFor(element, categories.length) < categories.length;
  return Object.assign(base(spec, "bar"), {
    series: spec.series.map(function (s) { return { name: s.name, data: s.data }; }),
    // "Sun 12/8" on two lines: a week's labels then fit a narrow chart; a pay period's are thinned out.
    xaxis: {
      categories: categories.map(function (c) { return String(c).split(" "); }),
      labels: { rotate: 0, hideOverlappingLabels: true, trim: false },
      tickAmount: narrow ? ticksFor(element, categories.length) : undefined,
    },
    yaxis: { labels: { formatter: function (v) { return Number(v).toFixed(0); } }, title: { text: "Hours" }, forceNiceScale: true },
    tooltip: { y: { formatter: format } },
  });
}

function mixed(spec, element) {
  const o = base(spec, "line");
  const categories = spec.categories || [];
  const annotations = spec.cap
    ? { yaxis: [{ y: spec.cap, yAxisIndex: 0, borderColor: "#b91c1c", strokeDashArray: 4, label: { text: "Weekly cap " + spec.cap + " h", borderColor: "#b91c1c", style: { color: "#fff", background: "#b91c1c" } } }] }
    : {};
  return Object.assign(o, {
    colors: [accent, "#10b981"],
    series: spec.series.map(function (s) { return { name: s.name, type: s.type || "column", data: s.data }; }),
    stroke: { width: spec.series.map(function (s) { return s.type === "line" ? 3 : 0; }) },
    annotations: annotations,
    xaxis: {
      categories: categories,
      tickAmount: ticksFor(element, Math.min(12, categories.length)),
      labels: { rotate: -45, rotateAlways: false, hideOverlappingLabels: true },
    },
    yaxis: [
      { title: { text: "Hours" }, min: 0, max: spec.cap ? function (max) { return Math.max(max, spec.cap * 1.1); } : undefined, labels: { formatter: function (v) { return Number(v).toFixed(0); } } },
      { opposite: true, min: 0, title: { text: "Gross pay" }, labels: { formatter: function (v) { return "$" + Number(v).toFixed(0); } } },
    ],
    tooltip: { shared: true, intersect: false, y: { formatter: function (v, ctx) { return ctx && ctx.seriesIndex === 1 ? money(v) : hours(v); } } },
  });
}

function donut(spec) {
  const format = formats[spec.format] || money;
  return Object.assign(base(spec, "donut"), {
    series: spec.series.length ? spec.series[0].data.map(Number) : [],
    labels: spec.labels || [],
    legend: { position: "bottom", formatter: function (name, opts) { return name + ": " + format(opts.w.globals.series[opts.seriesIndex]); } },
    dataLabels: { enabled: true, formatter: function (percent) { return Math.round(percent) + "%"; } },
    plotOptions: {
      pie: {
        donut: {
          labels: {
            show: true,
            value: { formatter: function (v) { return format(v); } },
            total: { show: true, showAlways: true, label: "Total", formatter: function (w) { return format(w.globals.seriesTotals.reduce(function (a, b) { return a + b; }, 0)); } },
          },
        },
      },
    },
    tooltip: { y: { formatter: format } },
  });
}

// A legend with a scale: five shades of the accent colour, from the largest value in the chart.
function scale(spec) {
  let max = 0;
  spec.series.forEach(function (s) { s.data.forEach(function (p) { max = Math.max(max, Number(p && p.y) || 0); }); });
  const step = Math.max(1, Math.ceil(max / 4));
  const shades = ["#bfdbfe", "#93c5fd", "#3b82f6", "#1d4ed8"];
  const ranges = [{ from: 0, to: 0.001, color: dark ? "#1f2937" : "#e5e7eb", name: "none" }];
  for (let i = 0; i < 4; i++) {
    const from = i * step;
    ranges.push({ from: from + (i === 0 ? 0.001 : 0), to: (i + 1) * step + (i === 3 ? 1000 : 0), color: shades[i], name: i === 3 ? "over " + from + " h" : from + "–" + (i + 1) * step + " h" });
  }
  return ranges;
}

function heatmap(spec, element) {
  const o = base(spec, "heatmap");
  const columns = spec.series.length ? spec.series[0].data.length : 0;
  const every = Math.max(1, Math.ceil(columns / ticksFor(element, columns)));
  return Object.assign(o, {
    series: spec.series,
    colors: [accent],
    legend: { show: true, position: "bottom" },
    plotOptions: { heatmap: { radius: 2, enableShades: false, colorScale: { ranges: scale(spec) } } },
    stroke: { width: 1, colors: [dark ? "#18202a" : "#ffffff"] },
    xaxis: {
      type: "category",
      labels: {
        rotate: 0,
        hideOverlappingLabels: true,
        // A year's columns are labelled by their week's first day: only the month where one begins. Hours: every few.
        formatter: function (v) {
          const text = String(v || "");
          if (text.indexOf(" ") > 0) {
            const day = Number(text.split(" ")[1]);
            return day > 0 && day <= 7 ? text.split(" ")[0] : "";
          }
          return Number(text) % every === 0 ? text : "";
        },
      },
      tooltip: { enabled: false },
    },
    tooltip: { y: { formatter: hours } },
  });
}

function timeline(spec, element) {
  const labels = spec.labels || [];
  const colors = spec.colors || [];
  let min = 24;
  let max = 0;
  const series = spec.series.map(function (s) {
    return {
      name: s.name,
      data: s.data.map(function (p) {
        min = Math.min(min, p.y[0]);
        max = Math.max(max, p.y[1]);
        return { x: p.x, y: p.y, fillColor: colors[p.g || 0] || accent, job: labels[p.g || 0] || "" };
      }),
    };
  });
  if (min >= max) {
    min = 6;
    max = 22;
  }
  const lo = Math.floor(min);
  const hi = Math.ceil(max);
  return Object.assign(base(spec, "rangeBar"), {
    series: series,
    plotOptions: { bar: { horizontal: true, barHeight: "60%", rangeBarGroupRows: true } },
    legend: {
      show: labels.length > 0,
      position: "top",
      showForSingleSeries: true,
      customLegendItems: labels,
      markers: { fillColors: labels.map(function (_, i) { return colors[i] || accent; }) },
    },
    xaxis: {
      type: "numeric",
      min: lo,
      max: hi,
      tickAmount: Math.max(1, Math.min(hi - lo, ticksFor(element, 12))),
      labels: { formatter: clock, hideOverlappingLabels: true },
    },
    yaxis: { labels: { maxWidth: 90 } },
    tooltip: {
      custom: function (ctx) {
        const point = ctx.w.config.series[ctx.seriesIndex].data[ctx.dataPointIndex];
        const div = document.createElement("div");
        div.className = "chart-tip";
        div.textContent = point.x + ", " + point.job + ": " + clock(point.y[0]) + "–" + clock(point.y[1]);
        return div.outerHTML;
      },
    },
  });
}

const kinds = { bar: bar, mixed: mixed, donut: donut, heatmap: heatmap, timeline: timeline };

/** Draws the chart of a spec (JSON) into an element, or updates the chart already there. */
export async function draw(element, json) {
  const spec = JSON.parse(json);
  const build = kinds[spec.kind];
  if (!element || !build) {
    return;
  }
  const options = build(spec, element);
  const existing = charts.get(element);
  if (existing) {
    await existing.updateOptions(options, true, false);
  } else {
    const chart = new ApexCharts(element, options);
    charts.set(element, chart);
    await chart.render();
  }
  element.dataset.rendered = "true";
}

/** Removes a chart whose component left the page. */
export function dispose(element) {
  const chart = element ? charts.get(element) : undefined;
  if (chart) {
    chart.destroy();
    charts.delete(element);
  }
}
