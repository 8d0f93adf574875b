// cchc: the only script. Everything works without it; it adds hover-to-open on unit groups
// for mouse users and closes an open group when another opens or on Escape.
(function () {
  "use strict";
  var hover = window.matchMedia && window.matchMedia("(hover: hover) and (min-width: 801px)");
  var groups = document.querySelectorAll("details.grp");
  function closeOthers(except) {
    groups.forEach(function (g) { if (g !== except) g.open = false; });
  }
  groups.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) closeOthers(d); });
    d.addEventListener("mouseenter", function () {
      if (hover && hover.matches && !d.open) { d.open = true; d.dataset.hover = "1"; }
    });
    d.addEventListener("mouseleave", function () {
      if (d.dataset.hover) { d.open = false; delete d.dataset.hover; }
    });
    // A click on a group the mouse has just opened pins it open instead of closing it.
    d.querySelector("summary").addEventListener("click", function (e) {
      if (d.dataset.hover) { e.preventDefault(); delete d.dataset.hover; }
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeOthers(null);
  });
})();
