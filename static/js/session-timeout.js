// Warns before the idle session ends and lets the person extend it (POST session:extend).
// The server enforces the timeout; this script only warns. No inline code: the numbers
// come from data- attributes on #session-timeout (includes/session_timeout.html).
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog) { return; }
  var form = dialog.querySelector("[data-session-extend]");
  var countdown = dialog.querySelector("[data-session-countdown]");
  var errorBox = dialog.querySelector("[data-session-error]");
  var timeout = parseInt(dialog.dataset.timeout, 10);
  var warning = parseInt(dialog.dataset.warning, 10);
  if (!(timeout > 0)) { return; }
  var deadline, warnTimer, endTimer, tickTimer;

  function persianDigits(n) {
    return String(n).replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  }
  function closeDialog() {
    window.clearInterval(tickTimer);
    if (dialog.open && dialog.close) { dialog.close(); }
    dialog.removeAttribute("open");
  }
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = persianDigits(left);
  }
  function warn() {
    errorBox.hidden = true;
    tick();
    tickTimer = window.setInterval(tick, 1000);
    if (dialog.showModal) { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
  }
  function expire() {
    // The server has ended the session by now: the next request shows the login page
    // with its message.
    window.location.assign(dialog.dataset.expiredUrl || window.location.href);
  }
  function schedule(seconds, warnBefore) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    deadline = Date.now() + seconds * 1000;
    warnTimer = window.setTimeout(warn, Math.max(0, seconds - warnBefore) * 1000);
    endTimer = window.setTimeout(expire, seconds * 1000 + 1000);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
    }).then(function (response) {
      if (response.status === 401) { expire(); return null; }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      closeDialog();
      schedule(data.timeout, data.warning);
    }).catch(function () {
      errorBox.hidden = false;
    });
  });
  schedule(timeout, warning);
})();
