// The little JavaScript Amorce needs; everything works without it.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Bring keyboard and screen-reader users straight to a form's errors.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // On a phone the account and the navigation fold behind a « Menu » button (CSS hides
  // them only once this script runs: without it they stay a plain list).
  const toggle = document.querySelector("[data-menu-toggle]");
  if (toggle) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      document.documentElement.classList.toggle("menu-open", open);
    });
  }
});
