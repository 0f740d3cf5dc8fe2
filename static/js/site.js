// Progressive enhancement only; every page works without it.
// The error summary carries `autofocus`; this is the fallback for browsers that skip it
// (e.g. when the page was restored from the back/forward cache).
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement === document.body) summary.focus();
})();
