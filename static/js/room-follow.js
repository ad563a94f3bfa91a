// A phone in a workshop's room: ask every few seconds which part the room's projector is
// on, and put the server's link to it in place ("The room is on part 3 — go there").
// Without JavaScript the page shows the link as it was when the page was loaded.
(function () {
  "use strict";
  var box = document.getElementById("room-follow");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-poll");
  var part = null;

  function poll() {
    if (document.hidden) {
      window.setTimeout(poll, 8000);
      return;
    }
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.live && data.part !== part) {
          var fresh = document.createElement("div");
          fresh.innerHTML = data.html;
          box.innerHTML = fresh.firstElementChild ? fresh.querySelector("#room-follow").innerHTML : "";
          part = data.part;
        }
      })
      .catch(function () {
        // A dropped connection: try again at the next turn.
      })
      .then(function () {
        window.setTimeout(poll, 8000);
      });
  }

  var link = box.querySelector("a");
  part = link ? -1 : null; // unknown until the first answer; nothing shown means no part
  window.setTimeout(poll, 8000);
})();
