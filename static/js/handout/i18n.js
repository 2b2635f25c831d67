// Translations of the screen's own messages, from /i18n/<lang>.json ({"lang", "messages":
// {English id: translation}}). A message missing from it is shown in English.
let messages = {};

export async function loadCatalogue(lang) {
  if (!lang || lang === "en") return;
  try {
    const response = await fetch(`/i18n/${encodeURIComponent(lang)}.json`, {credentials: "same-origin"});
    if (response.ok) messages = (await response.json()).messages || {};
  } catch (error) {
    // Offline with no kept catalogue: English it is.
  }
}

/** The translation of `message`, with `%(name)s` placeholders filled from `values`. */
export function t(message, values = {}) {
  const text = typeof messages[message] === "string" && messages[message] ? messages[message] : message;
  return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
