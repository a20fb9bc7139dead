// The school fieldset only matters for a school session: hide it for the other types.
// Without JavaScript it simply stays visible.
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.querySelector("[data-action-kind]");
  const school = document.querySelector("[data-school-fields]");
  if (!kind || !school) return;
  const toggle = () => { school.hidden = kind.value !== "school"; };
  kind.addEventListener("change", toggle);
  toggle();
});
