// « Utiliser ma position » on the public QPV check: the browser's position is posted to
// Amorce, which answers from its own perimeters (no third party, nothing stored). The form
// stays hidden when the browser cannot locate (or without JavaScript): the address form
// remains.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-position-check]");
  if (!form || !("geolocation" in navigator)) return;
  const status = form.querySelector("[data-position-status]");
  const button = form.querySelector("button[type=submit]");
  form.hidden = false;

  const say = (text) => {
    status.textContent = text;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    button.disabled = true;
    say("Recherche de votre position…");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.latitude.value = position.coords.latitude;
        form.elements.longitude.value = position.coords.longitude;
        form.elements.accuracy.value = Math.round(position.coords.accuracy);
        say("Position trouvée : vérification…");
        form.submit();
      },
      (error) => {
        button.disabled = false;
        say(
          error.code === error.PERMISSION_DENIED
            ? "Vous n'avez pas autorisé la localisation : tapez votre adresse ci-dessus."
            : "Votre position n'a pas pu être trouvée : tapez votre adresse ci-dessus.",
        );
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
});
