// Saves each answer on the server the moment it is given. The page is a plain form that
// works without this script; with it, choosing a level (or finishing a note) saves that
// statement at once, updates the progress bar and says "Saved" next to it. If a save
// fails, the answer stays in the form and is sent again with the page's own button.
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var live = document.querySelector("[data-live]");
  var progressText = document.querySelector("[data-progress-text]");
  var progressBar = document.querySelector("#answer-progress");
  var pageAnswered = document.querySelector("[data-page-answered]");
  var pending = {};

  function announce(text) {
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function setStatus(fieldset, text, kind) {
    var status = fieldset.querySelector("[data-save-status]");
    if (!status) return;
    status.textContent = text;
    status.classList.remove("is-saved", "is-failed");
    if (kind) status.classList.add(kind);
  }

  function save(fieldset) {
    var statement = fieldset.getAttribute("data-statement");
    // In a round that asks at levels, each level of a statement is an answer of its own.
    var scope = fieldset.getAttribute("data-scope") || "";
    var id = scope ? statement + "@" + scope : statement;
    var level = fieldset.querySelector("input[type=radio]:checked");
    if (!level) return; // a note alone waits for a level, as the form would ask
    var note = fieldset.querySelector("textarea");
    var code = fieldset.getAttribute("data-code") ||
      fieldset.querySelector(".statement-code").textContent.trim();
    var body = new FormData();
    body.append("statement", statement);
    if (scope) body.append("scope", scope);
    body.append("level-" + id, level.value);
    body.append("note-" + id, note ? note.value : "");
    if (pending[id]) pending[id].abort();
    var controller = window.AbortController ? new AbortController() : null;
    pending[id] = controller;
    setStatus(fieldset, gettext("Saving…"), null);
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "X-Requested-With": "fetch" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        pending[id] = null;
        if (result.ok && result.data.saved) {
          var counts = { code: code, answered: result.data.answered, total: result.data.total };
          setStatus(fieldset, gettext("Saved"), "is-saved");
          announce(interpolate(ngettext(
            "%(code)s: answer saved. %(answered)s of %(total)s answered.",
            "%(code)s: answer saved. %(answered)s of %(total)s answered.",
            counts.total
          ), counts, true));
          if (progressText) {
            progressText.textContent = interpolate(ngettext(
              "%(answered)s of %(total)s answered", "%(answered)s of %(total)s answered", counts.total
            ), counts, true);
          }
          if (progressBar) progressBar.value = result.data.answered;
          if (pageAnswered) {
            pageAnswered.textContent = form.querySelectorAll(
              "fieldset[data-statement] input[type=radio]:checked"
            ).length;
          }
        } else {
          // The server's message comes in the reader's language already.
          var message = (result.data && result.data.error) || gettext("Not saved yet.");
          setStatus(fieldset, interpolate(
            gettext("%(message)s Your answer is kept on this page; use the Save button below."),
            { message: message }, true
          ), "is-failed");
          announce(interpolate(gettext("%(code)s: %(message)s"), { code: code, message: message }, true));
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        pending[id] = null;
        setStatus(fieldset, gettext("Not saved yet (no connection). Your answer is kept on this page; use the Save button below."), "is-failed");
        announce(interpolate(gettext("%(code)s: not saved yet."), { code: code }, true));
      });
  }

  form.querySelectorAll("fieldset[data-statement]").forEach(function (fieldset) {
    fieldset.addEventListener("change", function (event) {
      if (event.target.matches("input[type=radio], textarea")) save(fieldset);
    });
  });
  // The page now says what is true: each answer is saved as it is chosen.
  document.querySelectorAll("[data-autosave-off]").forEach(function (el) { el.hidden = true; });
  document.querySelectorAll("[data-autosave-on]").forEach(function (el) { el.hidden = false; });
  // Tells tests (and anyone inspecting the page) that answers are now saved as given.
  form.setAttribute("data-autosave-ready", "");
})();
