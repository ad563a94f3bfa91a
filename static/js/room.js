// The workshop's projector: ask the server every few seconds whether the room has changed
// (sending the last ETag, so an unchanged room costs almost nothing) and put the new
// counts and figures in place. Without JavaScript the page's Refresh link does the same.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room || !window.fetch) {
    return;
  }
  var counts = document.getElementById("room-counts");
  var figures = document.getElementById("room-figures");
  var url = room.getAttribute("data-poll");
  var etag = room.getAttribute("data-etag");
  var figuresKey = room.getAttribute("data-figures");
  var interval = parseInt(room.getAttribute("data-interval"), 10) || 4000;
  room.classList.add("is-live");

  function later() {
    window.setTimeout(poll, interval);
  }

  function poll() {
    if (document.hidden) {
      later();
      return;
    }
    var headers = { Accept: "application/json" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (!response.ok) {
          throw new Error("poll " + response.status);
        }
        etag = response.headers.get("ETag") || etag;
        return response.json();
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        if (!data.live) {
          window.location.reload();
          return;
        }
        counts.innerHTML = data.counts_html;
        if (data.figures_key !== figuresKey) {
          figures.innerHTML = data.figures_html;
          figuresKey = data.figures_key;
        }
      })
      .catch(function () {
        // A dropped connection: try again at the next turn.
      })
      .then(later);
  }

  later();
})();
