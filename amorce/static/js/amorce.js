// The little JavaScript Amorce needs; everything works without it.
document.addEventListener("DOMContentLoaded", () => {
  // Bring keyboard and screen-reader users straight to a form's errors.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
