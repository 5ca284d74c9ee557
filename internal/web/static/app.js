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
  // A form with a mode choice (the 交办 form: 单办, 会办, 分办) shows only the
  // parts of the chosen mode (data-modes="single joint") and disables the
  // inputs of the others, so they are not sent; without a choice, or without
  // this script, every part shows.
  function modes(root) {
    root.querySelectorAll("form").forEach(function (f) {
      var radios = f.querySelectorAll('input[type="radio"][name="mode"]');
      if (!radios.length) { return; }
      function apply() {
        var c = f.querySelector('input[name="mode"]:checked');
        if (!c) { return; }
        f.querySelectorAll("[data-modes]").forEach(function (el) {
          var on = el.dataset.modes.split(" ").indexOf(c.value) >= 0;
          el.hidden = !on;
          el.querySelectorAll("input, select").forEach(function (i) { i.disabled = !on; });
        });
      }
      radios.forEach(function (r) { r.addEventListener("change", apply); });
      apply();
    });
  }
  // Type-ahead for long choices (people, co-signers, units, merge targets):
  // a select or a list of checkboxes marked data-filter="<placeholder>" gets a
  // search box that hides what does not match (checked boxes stay shown); a
  // select with one match left takes it. Without this script the full list shows.
  function typeahead(root) {
    root.querySelectorAll("[data-filter]").forEach(function (el) {
      if (el.dataset.filterReady) { return; }
      el.dataset.filterReady = "1";
      var box = document.createElement("input");
      box.type = "search";
      box.className = "pick-filter";
      box.placeholder = el.dataset.filter;
      box.setAttribute("aria-label", el.dataset.filter);
      if (el.id) { box.setAttribute("aria-controls", el.id); }
      el.parentNode.insertBefore(box, el);
      box.addEventListener("input", function () {
        var q = box.value.trim().toLowerCase(), shown = [];
        var items = el.tagName === "SELECT" ? el.options : el.querySelectorAll("label");
        Array.prototype.forEach.call(items, function (it) {
          var keep = !q || it.textContent.toLowerCase().indexOf(q) >= 0 ||
            (it.tagName === "OPTION" ? it.value === "" : !!it.querySelector("input:checked"));
          it.hidden = !keep;
          if (keep && (it.tagName !== "OPTION" || it.value !== "")) { shown.push(it); }
        });
        if (el.tagName === "SELECT" && q && shown.length === 1 && !shown[0].selected) {
          shown[0].selected = true;
          el.dispatchEvent(new Event("change", {bubbles: true}));
        }
      });
    });
  }
  // A locked checkbox (co-signers of a returned proposal) does not change.
  document.addEventListener("click", function (e) {
    if (e.target.matches && e.target.matches("input[data-locked]")) { e.preventDefault(); }
  });
  document.addEventListener("DOMContentLoaded", function () { bars(document); fieldErrors(document); modes(document); typeahead(document); errorSummary(document); });
  document.addEventListener("htmx:afterSwap", function (e) { bars(e.target); fieldErrors(e.target); modes(e.target); typeahead(e.target); });
})();
