// The little JavaScript Amorce needs; everything works without it.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Bring keyboard and screen-reader users straight to a form's errors.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // A table wider than its frame scrolls inside it: keyboard users reach it with Tab
  // and scroll it with the arrows; it is named after its caption.
  const markScrollable = () => {
    for (const frame of document.querySelectorAll(".table-wrap")) {
      if (frame.scrollWidth > frame.clientWidth + 1) {
        frame.setAttribute("tabindex", "0");
        const caption = frame.querySelector("caption");
        if (caption && !frame.hasAttribute("aria-label")) {
          frame.setAttribute("role", "region");
          frame.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (frame.getAttribute("tabindex") === "0") {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
      }
    }
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);

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
