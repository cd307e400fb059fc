// Live updates for signed-in pages: one EventSource on /live. Each server-sent event becomes a DOM event on
// <body> ("paytrack-<kind>"), which htmx fragments listen for (hx-trigger="paytrack-data-changed from:body"),
// and a catchup's progress drives the bar in the layout. No inline script anywhere (CSP).
(function () {
  "use strict";

  const bar = document.querySelector("[data-live-url]");
  if (!bar || typeof EventSource === "undefined") {
    return;
  }

  const progress = bar.querySelector("progress");
  const label = bar.querySelector(".job-progress-label");
  const text = bar.querySelector(".job-progress-text");
  let hideTimer = 0;

  function parse(data) {
    try {
      const value = JSON.parse(data);
      return value && typeof value === "object" ? value : {};
    } catch {
      return {};
    }
  }

  function fire(name, detail) {
    document.body.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function number(value) {
    const n = typeof value === "string" ? Number(value) : value;
    return typeof n === "number" && isFinite(n) ? n : undefined;
  }

  // Progress payloads name their counts in a few ways; take the first pair present.
  function percentOf(d) {
    const direct = number(d.percent);
    if (direct !== undefined) {
      return Math.max(0, Math.min(100, direct));
    }
    const pairs = [["done", "total"], ["chunksDone", "chunksTotal"], ["completed", "total"], ["current", "total"]];
    for (const [done, total] of pairs) {
      const a = number(d[done]);
      const b = number(d[total]);
      if (a !== undefined && b) {
        return Math.max(0, Math.min(100, (a / b) * 100));
      }
    }
    return undefined;
  }

  // Administrators also receive other users' job events (for the jobs page); this bar is about the user's own.
  function isMine(d) {
    const who = d.userId || d.user_id;
    return !who || !bar.dataset.userId || who === bar.dataset.userId;
  }

  function showProgress(d) {
    window.clearTimeout(hideTimer);
    const percent = percentOf(d);
    if (percent === undefined) {
      progress.removeAttribute("value");
    } else {
      progress.value = percent;
    }
    const words = d.message || d.label || d.range || d.step;
    label.textContent = typeof words === "string" && words ? words : "Reading your timecard…";
    text.textContent = percent === undefined ? "" : Math.round(percent) + " %";
    bar.hidden = false;
  }

  function finish(d) {
    progress.value = 100;
    text.textContent = d.status === "failed" || d.succeeded === false ? "stopped" : "done";
    hideTimer = window.setTimeout(function () { bar.hidden = true; }, 4000);
  }

  const source = new EventSource(bar.dataset.liveUrl);
  // The stream's first event: from here on this page receives the user's events (tests wait for it too).
  source.addEventListener("connected", function () { bar.dataset.live = "connected"; });
  source.addEventListener("error", function () { bar.dataset.live = "reconnecting"; });
  source.addEventListener("data-changed", function (e) { fire("paytrack-data-changed", parse(e.data)); });
  source.addEventListener("job-progress", function (e) {
    const d = parse(e.data);
    if (isMine(d)) {
      showProgress(d);
    }
    fire("paytrack-job-progress", d);
  });
  source.addEventListener("job-finished", function (e) {
    const d = parse(e.data);
    if (isMine(d) && !bar.hidden) {
      finish(d);
    }
    fire("paytrack-job-finished", d);
    fire("paytrack-data-changed", d);
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
