// Progressive enhancement only: the server enforces every rule.
// A checkbox with data-enables="<button id>" keeps that button disabled until ticked.
document.querySelectorAll("input[type=checkbox][data-enables]").forEach(function (box) {
  var button = document.getElementById(box.dataset.enables);
  if (!button) return;
  function sync() {
    button.disabled = !box.checked;
    button.setAttribute("aria-disabled", String(!box.checked));
  }
  box.addEventListener("change", sync);
  sync();
});
