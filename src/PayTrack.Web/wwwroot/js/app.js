// PayTrack's own browser code: htmx wiring, charts and live updates. No inline script anywhere (CSP).
(function () {
  "use strict";

  function antiforgeryToken() {
    const input = document.querySelector('input[name="__RequestVerificationToken"]');
    return input ? input.value : null;
  }

  // htmx requests other than form posts carry the antiforgery token in a header.
  document.addEventListener("htmx:configRequest", function (event) {
    const token = antiforgeryToken();
    if (token) {
      event.detail.headers["X-CSRF-TOKEN"] = token;
    }
  });

  // Live job progress: a page with [data-live-runs] follows /live and keeps its progress bars ([data-run-id]) current;
  // the admin page's list ([data-live-list]) also shows runs that started after it loaded. DOM calls only (CSP).
  function runElement(data) {
    const run = document.createElement("div");
    run.className = "run";
    run.dataset.runId = String(data.runId);
    const title = document.createElement("div");
    title.className = "run-title";
    title.textContent = data.kind === "catchup" ? "Full history (catchup)" : data.sweep ? "Update-punches, every user" : "Update-punches";
    if (data.user) {
      const who = document.createElement("span");
      who.className = "muted";
      who.textContent = " · " + data.user;
      title.appendChild(who);
    }
    const label = document.createElement("div");
    label.className = "run-label";
    label.dataset.runLabel = "";
    run.append(title, document.createElement("progress"), label);
    return run;
  }

  function showRun(data, finished) {
    let run = document.querySelector('[data-run-id="' + Number(data.runId) + '"]');
    const list = document.querySelector("[data-live-list]");
    if (!run) {
      if (!list || finished) {
        return;
      }
      run = runElement(data);
      list.prepend(run);
      const empty = document.querySelector("[data-live-empty]");
      if (empty) {
        empty.hidden = true;
      }
    }
    const bar = run.querySelector("progress");
    if (bar) {
      bar.max = Math.max(1, data.total);
      bar.value = data.done;
      bar.textContent = Math.round((100 * data.done) / Math.max(1, data.total)) + "%";
    }
    const label = run.querySelector("[data-run-label]");
    if (label) {
      label.textContent = data.label;
    }
    Array.from(run.classList).filter(function (c) { return c.indexOf("run-") === 0; }).forEach(function (c) { run.classList.remove(c); });
    run.classList.add("run-" + data.status);
  }

  if (document.querySelector("[data-live-runs]")) {
    if (document.querySelector("[data-live-url]")) {
      // The layout's live.js already follows /live and re-fires each event on <body>: one stream per page.
      document.body.addEventListener("paytrack-job-progress", function (event) { showRun(event.detail, false); });
      document.body.addEventListener("paytrack-job-finished", function (event) { showRun(event.detail, true); });
    } else if (window.EventSource) {
      const source = new EventSource("/live");
      source.addEventListener("job-progress", function (event) { showRun(JSON.parse(event.data), false); });
      source.addEventListener("job-finished", function (event) { showRun(JSON.parse(event.data), true); });
      window.addEventListener("pagehide", function () { source.close(); });
    }
  }

  window.PayTrack = window.PayTrack || {};
  window.PayTrack.nonce = function () {
    const meta = document.querySelector('meta[name="csp-nonce"]');
    return meta ? meta.content : undefined;
  };
})();
