// The point-in-time survey on the handout screen (shown while a survey window is open at the
// site). Answers are queued in the same outbox as handouts, with their own client_id, and sent
// to /api/v1/survey-responses; they carry the site and the local date only - no time, no
// participant code, nothing that ties them to a handout.
import {t} from "./i18n.js";
import * as outbox from "./outbox.js";
import {newClientId} from "./form.js";

export const SURVEY_ENDPOINT = "/api/v1/survey-responses";
const COUNTS = ["own_overdoses_3m", "reversals_witnessed"];
const CHOICES = ["age_range", "gender", "race_ethnicity"];

/** Today's date in the program's timezone, as YYYY-MM-DD. */
function localDate(timezone) {
  try {
    return new Intl.DateTimeFormat("en-CA", {timeZone: timezone, year: "numeric", month: "2-digit",
                                             day: "2-digit"}).format(new Date());
  } catch (error) {
    return new Date().toISOString().slice(0, 10);
  }
}

function surveyBody(form, config) {
  const body = {client_id: newClientId(), site: config.site, date: localDate(config.timezone)};
  for (const field of COUNTS) {
    const text = form.querySelector(`#s-${field}`).value.trim();
    if (text !== "") body[field] = Math.min(parseInt(text, 10), 1000);
  }
  for (const field of CHOICES) {
    const value = form.querySelector(`#s-${field}`).value;
    if (value) body[field] = value;
  }
  return body;
}

/** Wire the survey form, if the page has one; onQueued() runs after each saved response. */
export function initSurvey(config, {onQueued}) {
  const form = document.getElementById("survey-form");
  if (!form) return;
  form.addEventListener("input", (event) => {
    if (event.target.matches("input")) event.target.value = event.target.value.replace(/\D/g, "").slice(0, 4);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await outbox.add(surveyBody(form, config), SURVEY_ENDPOINT);
    form.reset();
    const status = document.getElementById("survey-status");
    status.textContent = t("Survey answers queued");
    status.dataset.state = "queued";
    onQueued();
  });
}
