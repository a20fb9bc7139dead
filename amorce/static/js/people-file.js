// The journey form: show the company fields only when "Entreprise créée" is picked.
// Without JavaScript they stay visible, under "Si entreprise créée".
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-move-form]");
  if (!form) return;
  const step = form.elements.step;
  const company = form.querySelector("[data-company-fields]");
  const toggle = () => { company.hidden = step.value !== "created"; };
  step.addEventListener("change", toggle);
  toggle();
});
