// Loa's dashboard: the editor's "insert a field" buttons put the field at
// the cursor of the last text box used, and the preview follows.
(function () {
  "use strict";
  var last = null;
  document.addEventListener("focusin", function (e) {
    if (e.target.tagName === "TEXTAREA") { last = e.target; }
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-insert]");
    if (!b) { return; }
    var t = last || document.querySelector("#editor textarea");
    if (!t) { return; }
    var s = t.selectionStart, end = t.selectionEnd, v = t.value;
    t.value = v.slice(0, s) + b.dataset.insert + v.slice(end);
    t.selectionStart = t.selectionEnd = s + b.dataset.insert.length;
    t.focus();
    t.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
// A picture kept: the preview follows.
document.addEventListener("htmx:afterSwap", function (e) {
  if (e.target.id === "image-field") {
    e.target.closest("form").dispatchEvent(new Event("input", { bubbles: true }));
  }
});
// A task page's "copy the post" button: the text goes to the clipboard
// (or, where the browser refuses, is selected for the person to copy).
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-copy]");
  if (!b) { return; }
  var t = document.querySelector(b.dataset.copy);
  if (!t) { return; }
  var done = function () { b.textContent = b.dataset.copied; b.classList.add("copied"); };
  var fallback = function () {
    t.focus(); t.select();
    try { if (document.execCommand("copy")) { done(); } } catch (err) { /* selected: the person copies */ }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(t.value).then(done, fallback);
  } else {
    fallback();
  }
});
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) { window.print(); }
});
