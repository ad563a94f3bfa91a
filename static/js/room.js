// A workshop's room, on the projector view and on the lead's page: ask the server every few
// seconds whether the room has changed (sending the last ETag, so an unchanged room costs
// almost nothing) and put the new join panel, counts and figures in place, and on the
// lead's page the seats taken. Without JavaScript the page's Refresh link does the same.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room || !window.fetch) {
    return;
  }
  var join = document.getElementById("room-join");
  var counts = document.getElementById("room-counts");
  var figures = document.getElementById("room-figures");
  var seats = document.getElementById("room-seats");
  var url = room.getAttribute("data-poll");
  var etag = room.getAttribute("data-etag");
  var joinKey = room.getAttribute("data-join");
  var figuresKey = room.getAttribute("data-figures");
  var seatsKey = room.getAttribute("data-seats");
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
        if (response.status === 404) {
          // The projector view's workshop has ended, or its address was changed: the
          // page itself now says so.
          return { live: false };
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
        room.classList.toggle("is-showing", !!data.showing);
        if (join && data.join_key !== joinKey) {
          join.innerHTML = data.join_html;
          joinKey = data.join_key;
        }
        counts.innerHTML = data.counts_html;
        if (data.figures_key !== figuresKey) {
          figures.innerHTML = data.figures_html;
          figuresKey = data.figures_key;
        }
        if (seats && data.seats_html !== undefined && data.seats_key !== seatsKey) {
          seats.innerHTML = data.seats_html;
          seatsKey = data.seats_key;
        }
      })
      .catch(function () {
        // A dropped connection: try again at the next turn.
      })
      .then(later);
  }

  later();
})();
