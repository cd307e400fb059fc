// PayTrack's page script outside Blazor: the phone-width menu button. No inline script anywhere (CSP).
(function () {
  "use strict";

  // Delegated from the document: Blazor's enhanced navigation replaces the header's elements.
  document.addEventListener("click", function (event) {
    const toggle = event.target instanceof Element ? event.target.closest(".nav-toggle") : null;
    if (toggle) {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
      return;
    }
    // Following a menu link closes the menu.
    const link = event.target instanceof Element ? event.target.closest(".nav-menu a") : null;
    const open = document.querySelector('.nav-toggle[aria-expanded="true"]');
    if (link && open) {
      open.setAttribute("aria-expanded", "false");
    }
  });
})();
