/* Osallisuus page behaviour. Every page works without this file; it only adds comfort. */
(function () {
  "use strict";

  // Move focus to the error summary so screen readers announce it after a failed submit.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // Session expiry: warn before the idle timeout and let the user continue.
  function sessionWarning() {
    var body = document.body;
    var idle = parseInt(body.getAttribute("data-session-idle") || "0", 10);
    var warnBefore = parseInt(body.getAttribute("data-session-warning") || "120", 10);
    var dialog = document.getElementById("session-warning");
    var form = document.getElementById("session-extend-form");
    if (!idle || !dialog || !form) { return; }
    var timer = null;
    var logoutTimer = null;
    function schedule(seconds) {
      window.clearTimeout(timer);
      window.clearTimeout(logoutTimer);
      timer = window.setTimeout(function () {
        dialog.hidden = false;
        var button = dialog.querySelector("button");
        if (button) { button.focus(); }
      }, Math.max(0, (seconds - warnBefore)) * 1000);
      logoutTimer = window.setTimeout(function () { window.location.reload(); }, (seconds + 1) * 1000);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { window.location.reload(); return null; }
        return response.json();
      }).then(function (json) {
        if (!json) { return; }
        dialog.hidden = true;
        schedule(json.expires_in || idle);
      }).catch(function () { form.submit(); });
    });
    // Any htmx request also keeps the session alive.
    document.body.addEventListener("htmx:afterRequest", function () { schedule(idle); });
    schedule(idle);
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    sessionWarning();
  });
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();
