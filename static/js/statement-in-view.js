// On a phone held upright, each statement's from and to stay at the top of the screen
// while its choices scroll under them (answering.css, [data-statement-in-view]). A
// browser moves focus without scrolling when the control is on screen, even under
// something stuck at the top, so once the browser has scrolled to a newly focused control,
// this script brings it out from under a stuck statement (WCAG 2.2, focus not obscured).
// Scrolling is instant on these pages, so that it is over before the script looks.
// Without the script nothing sticks.
(function () {
  "use strict";

  var form = document.querySelector(".answer-form");
  if (!form || !window.getComputedStyle) {
    return;
  }
  form.setAttribute("data-statement-in-view", "");
  document.documentElement.classList.add("scroll-instant");

  function coveredBy(element) {
    var box = element.getBoundingClientRect();
    var legends = form.querySelectorAll(".answer > legend, .answer-level > legend");
    for (var i = 0; i < legends.length; i++) {
      if (window.getComputedStyle(legends[i]).position !== "sticky") continue;
      var stuck = legends[i].getBoundingClientRect();
      if (stuck.top <= box.top && stuck.bottom > box.top) return stuck;
    }
    return null;
  }

  form.addEventListener("focusin", function (event) {
    var target = event.target;
    if (!target.closest || !target.closest(".answer")) return;
    // The browser scrolls a focused control into view after the focus event.
    window.requestAnimationFrame(function () {
      var stuck = coveredBy(target);
      if (stuck) {
        var box = target.getBoundingClientRect();
        window.scrollBy({ top: box.top - stuck.bottom - 16, behavior: "instant" });
      }
    });
  });
})();
