// Address suggestions from the national address API, through Amorce's own view (the
// browser never calls a third party). Picking one fills the street, the postcode and the
// commune. Without JavaScript, or when the API is down, the field stays a plain field.
document.addEventListener("DOMContentLoaded", () => {
  const WAIT_MS = 300;
  const MIN_LENGTH = 3;

  document.querySelectorAll("input[data-address-suggestions]").forEach((input, n) => {
    const url = input.dataset.addressSuggestions;
    const form = input.form;
    const list = document.createElement("datalist");
    list.id = `adresses-suggerees-${n}`;
    input.after(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");

    let suggestions = [];
    let timer = null;
    let pending = null;

    const show = (found) => {
      suggestions = found;
      list.replaceChildren(
        ...found.map((suggestion) => {
          const option = document.createElement("option");
          option.value = suggestion.label;
          return option;
        }),
      );
    };

    const fill = (name, value) => {
      const field = form && form.elements[name];
      if (field && value) field.value = value;
    };

    const pick = (suggestion) => {
      input.value = suggestion.name || suggestion.label;
      fill("postcode", suggestion.postcode);
      fill("commune", suggestion.city);
      show([]);
    };

    const ask = async (text) => {
      if (pending) pending.abort();
      pending = new AbortController();
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(text)}`, {
          headers: { Accept: "application/json" },
          signal: pending.signal,
        });
        show(response.ok ? (await response.json()).suggestions : []);
      } catch (error) {
        if (error.name !== "AbortError") show([]); // unreachable: a plain field
      }
    };

    input.addEventListener("input", () => {
      clearTimeout(timer);
      const text = input.value.trim();
      const chosen = suggestions.find((suggestion) => suggestion.label === input.value);
      if (chosen) {
        pick(chosen);
        return;
      }
      if (text.length < MIN_LENGTH) {
        show([]);
        return;
      }
      timer = setTimeout(() => ask(text), WAIT_MS);
    });
  });
});
