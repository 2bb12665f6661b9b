// The Django admin for platform administrators (/beheer/): one accessibility repair on its own widgets.
//
// SelectFilter2 (the two-list selector for groups and permissions) draws a magnifying-glass <span>
// with an aria-label as the only content of the filter box's <label>. A span may not carry an
// aria-label (axe: aria-prohibited-attr); as an image it may, and the label keeps its name.
// The selector is built on "load", and again for every inline row added, so this watches the DOM.
(function () {
  "use strict";
  function repair(root) {
    root.querySelectorAll("span.search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  new MutationObserver(function () { repair(document); }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { repair(document); });
})();
