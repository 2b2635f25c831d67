// Issue 15's fields of a handout: on-site services (chips), entered treatment, syringes meant
// for secondary exchange, reversals with the program's naloxone, and returns by weight.
// The form (form.js) merges them into the encounter body; the rules the server enforces are
// checked here first so the screen never queues a handout the server must refuse.
import {t} from "./i18n.js";

const COUNTS = ["entered_treatment_reported", "secondary_syringes", "reversals_with_program_naloxone"];
let syringeCodes = new Set();

/** Remember which catalogue items are syringes (secondary units are at most those). */
export function setSyringeCodes(items) {
  syringeCodes = new Set(items.filter((item) => item.category === "syringe").map((item) => item.code));
}

function count(form, field) {
  const input = form.querySelector(`#f-${field}`);
  const value = input ? parseInt(input.value, 10) : 0;
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** The issue-15 part of the encounter body (only what was entered: older servers agree). */
export function linkageBody(form) {
  const body = {};
  const services = [...form.querySelectorAll("button[data-service][aria-pressed=true]")]
    .map((chip) => chip.dataset.service);
  if (services.length) body.services = services;
  for (const field of COUNTS) {
    const value = count(form, field);
    if (value) body[field] = value;
  }
  const weight = form.querySelector("#f-returns_weight_lb");
  const text = weight ? weight.value.trim().replace(",", ".") : "";
  if (text) body.returns_weight_lb = Number(text);
  return body;
}

/** A message when the body breaks a rule of the encounter API, else "". */
export function linkageProblem(body) {
  const syringes = (body.items || []).filter((line) => syringeCodes.has(line.item))
    .reduce((sum, line) => sum + line.quantity, 0);
  if ((body.secondary_syringes || 0) > syringes) {
    return t("Syringes meant for others cannot be more than the syringes handed out (%(count)s).",
             {count: syringes});
  }
  if ((body.reversals_with_program_naloxone || 0) > (body.reversals_reported || 0)) {
    return t("Reversals with our naloxone cannot be more than the reversals reported.");
  }
  const weight = body.returns_weight_lb;
  if (weight !== undefined && !(Number.isFinite(weight) && weight >= 0 && weight <= 500)) {
    return t("The returns weight must be a number of pounds from 0 to 500.");
  }
  return "";
}

export function resetLinkage(form) {
  const weight = form.querySelector("#f-returns_weight_lb");
  if (weight) weight.value = "";
  const error = form.querySelector("#linkage-error");
  if (error) error.hidden = true;
}

/** Show (or clear) the rule a body breaks; returns whether it may be saved. */
export function checkLinkage(form, body) {
  const problem = linkageProblem(body);
  const error = form.querySelector("#linkage-error");
  if (error) {
    error.textContent = problem;
    error.hidden = !problem;
  }
  return !problem;
}
