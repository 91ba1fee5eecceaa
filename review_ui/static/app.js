// Keyboard first: any visible element with data-key="k" is clicked (or focused, for a field) when k is
// pressed outside a text field. Esc leaves a text field; Enter in it submits its form. No inline script:
// the CSP allows only the app's own files.
(function () {
  "use strict";
  function typing(el) {
    return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }
  // The highlighted span is scrolled to the middle of its source box.
  function centerSpan() {
    var mark = document.getElementById("span");
    var box = mark && mark.closest("pre");
    if (box) {
      box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 2);
    }
  }
  document.addEventListener("DOMContentLoaded", centerSpan);
  // After a swap the keys belong to the page again (htmx would keep the focus in the value field).
  document.addEventListener("htmx:afterSettle", function () {
    var here = document.activeElement;
    if (here && here.id === "value") {
      here.blur();
    }
    centerSpan();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) {
      return;
    }
    var here = ev.target;
    if (typing(here)) {
      if (ev.key === "Escape") {
        here.blur();
        ev.preventDefault();
      }
      return;
    }
    var target = document.querySelector('[data-key="' + CSS.escape(ev.key) + '"]:not([disabled])');
    if (!target) {
      return;
    }
    ev.preventDefault();
    if (typing(target)) {
      target.focus();
      if (typeof target.select === "function") {
        target.select();
      }
    } else {
      target.click();
    }
  });
})();
