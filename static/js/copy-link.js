// Copy buttons for invite links and the reminder text, and the "Print" button on the
// invitation sheets. Without JavaScript the buttons stay hidden: the text is still
// there to select and copy, and the browser's own Print command works.
(function () {
  "use strict";

  function announce(text) {
    var status = document.getElementById("copy-status");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  }

  function copyFrom(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    field.focus();
    field.select();
    var ok = document.execCommand && document.execCommand("copy");
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) { return; }
    var original = button.innerHTML;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyFrom(field).then(function () {
        button.textContent = gettext("Copied");
        announce(gettext("Copied to the clipboard."));
        window.setTimeout(function () { button.innerHTML = original; }, 2500);
      }, function () {
        field.focus();
        field.select();
        announce(gettext("Could not copy. The text is selected: press Control and C to copy it."));
      });
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
