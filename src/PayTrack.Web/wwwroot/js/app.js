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

  window.PayTrack = window.PayTrack || {};
  window.PayTrack.nonce = function () {
    const meta = document.querySelector('meta[name="csp-nonce"]');
    return meta ? meta.content : undefined;
  };
})();
