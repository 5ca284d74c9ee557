// Behaviour that pages used to carry inline; the Content-Security-Policy
// (script-src 'self') now forbids inline scripts and handlers.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-back]");
    if (a && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  });
  function bars(root) {
    root.querySelectorAll("[data-bar]").forEach(function (el) { el.style.width = (parseInt(el.dataset.bar, 10) || 0) + "px"; });
  }
  document.addEventListener("DOMContentLoaded", function () { bars(document); });
  document.addEventListener("htmx:afterSwap", function (e) { bars(e.target); });
})();
