// The page of a download being prepared: ask every few seconds whether it is ready, and
// reload the page when its state changes. Without JavaScript, the "Check again" link
// does the same by hand.
(function () {
  "use strict";

  var box = document.getElementById("export-state");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-state-url");
  var wait = 2000;

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.status !== "queued" && state.status !== "running") {
          window.location.reload();
          return;
        }
        wait = Math.min(wait * 1.5, 15000);
        window.setTimeout(ask, wait);
      })
      .catch(function () { window.setTimeout(ask, 15000); });
  }

  window.setTimeout(ask, wait);
})();
