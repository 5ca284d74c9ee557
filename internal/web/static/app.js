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
  // A field error names its field (data-for): the field is marked invalid and
  // described by the error, so a screen reader reads the error with the field.
  function fieldErrors(root) {
    root.querySelectorAll("p.ferr[data-for]").forEach(function (p) {
      var form = p.closest("form") || document;
      var el = form.querySelector("[name=\"" + p.dataset.for + "\"]");
      if (!el) { return; }
      el.setAttribute("aria-invalid", "true");
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(p.id) < 0) { ids.push(p.id); }
      el.setAttribute("aria-describedby", ids.join(" "));
    });
  }
  // The summary at the top names each field by its label and links to the
  // field itself (its id may differ from its name), then takes the focus.
  function errorSummary(root) {
    var box = root.querySelector ? root.querySelector(".errsummary") : null;
    if (!box) { return; }
    box.querySelectorAll("a[data-field]").forEach(function (a) {
      var el = document.querySelector("main form [name=\"" + a.dataset.field + "\"]");
      if (!el) { return; }
      if (el.id) { a.setAttribute("href", "#" + el.id); }
      var label = el.id ? document.querySelector("label[for=\"" + el.id + "\"]") : null;
      if (label && !a.dataset.labelled) {
        a.dataset.labelled = "1";
        a.textContent = label.textContent.trim() + "：" + a.textContent;
      }
    });
    box.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { bars(document); fieldErrors(document); errorSummary(document); });
  document.addEventListener("htmx:afterSwap", function (e) { bars(e.target); fieldErrors(e.target); });
})();
