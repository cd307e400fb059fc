// Charts: every element with a data-chart-spec attribute is drawn by ApexCharts from the JSON in it (data, never
// executed, so the CSP allows it). Fragments swapped in by htmx are drawn when they arrive.
(function () {
  "use strict";

  const palette = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4"];
  const dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  const drawn = new Set();

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
    return hh + ":" + mm + (day > 0 ? " +" + day : "");
  }

  const formats = { hours: hours, money: money, clock: clock };

  function base(spec, type) {
    const nonce = window.PayTrack && window.PayTrack.nonce ? window.PayTrack.nonce() : undefined;
    return {
      chart: {
        type: type,
        height: spec.height || 300,
        stacked: !!spec.stacked,
        toolbar: { show: false },
        animations: { enabled: false },
        background: "transparent",
        fontFamily: "inherit",
        nonce: nonce,
        redrawOnParentResize: true,
      },
      theme: { mode: dark ? "dark" : "light" },
      colors: palette,
      dataLabels: { enabled: false },
      legend: { position: "top" },
      noData: { text: "Nothing to show" },
    };
  }

  function bar(spec) {
    const format = formats[spec.format] || hours;
    return Object.assign(base(spec, "bar"), {
      series: spec.series.map(function (s) { return { name: s.name, data: s.data }; }),
      // "Sun 12/8" on two lines: a week's labels then fit a narrow chart.
      xaxis: { categories: (spec.categories || []).map(function (c) { return String(c).split(" "); }) },
      yaxis: { labels: { formatter: function (v) { return Number(v).toFixed(0); } }, title: { text: "Hours" } },
      tooltip: { y: { formatter: format } },
    });
  }

  function mixed(spec) {
    const o = base(spec, "line");
    return Object.assign(o, {
      series: spec.series.map(function (s) { return { name: s.name, type: s.type || "column", data: s.data }; }),
      stroke: { width: spec.series.map(function (s) { return s.type === "line" ? 3 : 0; }) },
      xaxis: { categories: spec.categories || [], tickAmount: 12, labels: { rotate: -45, hideOverlappingLabels: true } },
      yaxis: [
        { title: { text: "Hours" }, labels: { formatter: function (v) { return Number(v).toFixed(0); } } },
        { opposite: true, title: { text: "Gross pay" }, labels: { formatter: function (v) { return "$" + Number(v).toFixed(0); } } },
      ],
      tooltip: { shared: true, intersect: false, y: { formatter: function (v, ctx) { return ctx && ctx.seriesIndex === 1 ? money(v) : hours(v); } } },
    });
  }

  function donut(spec) {
    const format = formats[spec.format] || money;
    return Object.assign(base(spec, "donut"), {
      series: spec.series.length ? spec.series[0].data : [],
      labels: spec.labels || [],
      legend: { position: "bottom" },
      tooltip: { y: { formatter: format } },
    });
  }

  function heatmap(spec) {
    const o = base(spec, "heatmap");
    return Object.assign(o, {
      series: spec.series,
      colors: [palette[0]],
      legend: { show: false },
      plotOptions: {
        heatmap: {
          radius: 2,
          enableShades: true,
          shadeIntensity: 0.6,
          colorScale: { ranges: [{ from: 0, to: 0.001, color: dark ? "#1f2937" : "#e5e7eb", name: "none" }] },
        },
      },
      stroke: { width: 1, colors: [dark ? "#18202a" : "#ffffff"] },
      xaxis: {
        type: "category",
        labels: {
          rotate: 0,
          hideOverlappingLabels: true,
          // A year's columns are labelled by their week's first day; name only the month where a month begins.
          formatter: function (v) {
            const text = String(v || "");
            const day = Number(text.split(" ")[1]);
            return text.indexOf(" ") > 0 && day > 0 && day <= 7 ? text.split(" ")[0] : (text.indexOf(" ") > 0 ? "" : text);
          },
        },
        tooltip: { enabled: false },
      },
      tooltip: { y: { formatter: hours } },
    });
  }

  function timeline(spec) {
    const labels = spec.labels || [];
    let min = 24;
    let max = 0;
    const series = spec.series.map(function (s) {
      return {
        name: s.name,
        data: s.data.map(function (p) {
          min = Math.min(min, p.y[0]);
          max = Math.max(max, p.y[1]);
          return { x: p.x, y: p.y, fillColor: palette[(p.g || 0) % palette.length], job: labels[p.g || 0] || "" };
        }),
      };
    });
    if (min >= max) {
      min = 6;
      max = 22;
    }
    return Object.assign(base(spec, "rangeBar"), {
      series: series,
      plotOptions: { bar: { horizontal: true, barHeight: "60%", rangeBarGroupRows: true } },
      legend: {
        show: labels.length > 0,
        position: "top",
        showForSingleSeries: true,
        customLegendItems: labels,
        markers: { fillColors: labels.map(function (_, i) { return palette[i % palette.length]; }) },
      },
      xaxis: {
        type: "numeric",
        min: Math.floor(min),
        max: Math.ceil(max),
        tickAmount: Math.min(12, Math.ceil(max) - Math.floor(min)),
        labels: { formatter: clock },
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

  function cleanUp() {
    drawn.forEach(function (entry) {
      if (!entry.element.isConnected) {
        entry.chart.destroy();
        drawn.delete(entry);
      }
    });
  }

  function draw(root) {
    if (typeof ApexCharts === "undefined" || !root || !root.querySelectorAll) {
      return;
    }
    cleanUp();
    const targets = root.matches && root.matches("[data-chart-spec]") ? [root] : Array.prototype.slice.call(root.querySelectorAll("[data-chart-spec]"));
    targets.forEach(function (element) {
      if (element.dataset.rendered) {
        return;
      }
      let spec;
      try {
        spec = JSON.parse(element.dataset.chartSpec || "null");
      } catch {
        spec = null;
      }
      const build = spec && kinds[spec.kind];
      if (!build) {
        return;
      }
      element.dataset.rendered = "pending";
      const chart = new ApexCharts(element, build(spec));
      drawn.add({ element: element, chart: chart });
      chart.render().then(function () { element.dataset.rendered = "true"; });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
  document.addEventListener("htmx:load", function (e) { draw(e.detail && e.detail.elt); });
})();
