// The error summary: focus it when the page opens (where a browser ignored its autofocus),
// and make each of its links put the cursor in the field and show the field's label or
// legend, not just the box (the label would otherwise be scrolled off the top).
(function () {
  var summary = document.querySelector('[data-error-summary]');
  if (!summary) return;
  if (document.activeElement !== summary && !window.location.hash) summary.focus();
  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) return;
    var control = document.getElementById(link.getAttribute('href').slice(1));
    if (!control) return;
    event.preventDefault();
    var fieldset = control.closest('fieldset');
    var label = (fieldset && fieldset.querySelector('legend'))
      || document.querySelector('label[for="' + control.id + '"]') || control;
    label.scrollIntoView();
    control.focus({ preventScroll: true });
  });
})();
