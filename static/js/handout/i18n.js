// Translations of the screen's own messages. The catalogue (/i18n/<lang>.json) maps English
// message ids to the page language; a message missing from it is shown in English.
let catalogue = {};

export async function loadCatalogue(lang) {
  if (!lang || lang === "en") return;
  try {
    const response = await fetch(`/i18n/${encodeURIComponent(lang)}.json`, {credentials: "same-origin"});
    if (response.ok) catalogue = await response.json();
  } catch (error) {
    // Offline with no cached catalogue: English it is.
  }
}

/** The translation of `message`, with `{name}` placeholders filled from `values`. */
export function t(message, values = {}) {
  const text = typeof catalogue[message] === "string" && catalogue[message] ? catalogue[message] : message;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
