// The staff lists: a "select all" box for the open tasks table (works without it too).
document.addEventListener("DOMContentLoaded", () => {
  const boxes = document.querySelectorAll('input[type="checkbox"][name="task"]');
  const table = document.querySelector(".staff-table thead th");
  if (!boxes.length || !table) return;
  const all = document.createElement("input");
  all.type = "checkbox";
  all.setAttribute("aria-label", "انتخاب همه");
  all.addEventListener("change", () => boxes.forEach((b) => { b.checked = all.checked; }));
  table.appendChild(all);
});
