// Sends the outbox to the server from the page itself, one record at a time, single-flight.
// 201 (created) or 200 (replay of a known client_id) confirm a record and remove it; 401 stops
// the run and asks for sign-in; 400/403/404/409/413/415/422 mark that record a conflict and the
// run goes on; network errors and other answers stop the run and retry with backoff + jitter.
import * as outbox from "./outbox.js";

const CONFLICT = new Set([400, 403, 404, 409, 413, 415, 422]);
const BASE_DELAY_MS = 2000;
const MAX_DELAY_MS = 5 * 60 * 1000;
const LAST_SYNC_KEY = "handout-last-sync";

/** The message of a problem+json answer, with its field errors. */
async function problemText(response) {
  try {
    const problem = await response.json();
    const parts = [problem.detail || problem.title || `HTTP ${response.status}`];
    const errors = problem.errors || {};
    for (const [field, messages] of Object.entries(errors)) {
      parts.push(`${field}: ${JSON.stringify(messages)}`);
    }
    return parts.join(" · ");
  } catch (error) {
    return `HTTP ${response.status}`;
  }
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/** Reload the page's CSRF token (the one in a page served from the cache may be stale). */
async function refreshCsrfToken() {
  const response = await fetch(location.pathname, {credentials: "same-origin", cache: "no-store"});
  if (!response.ok || response.redirected) return false;
  const html = await response.text();
  const token = new DOMParser().parseFromString(html, "text/html")
    .querySelector('meta[name="csrf-token"]');
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (!token || !meta) return false;
  meta.content = token.content;
  return true;
}

function post(record) {
  return fetch(record.endpoint || "/api/v1/encounters", {
    method: "POST",
    credentials: "same-origin",
    headers: {"Content-Type": "application/json", "Accept": "application/json",
              "X-CSRFToken": csrfToken()},
    body: JSON.stringify(record.body),
  });
}

export function lastSync() {
  const value = Number(localStorage.getItem(LAST_SYNC_KEY));
  return value ? new Date(value) : null;
}

/**
 * hooks: onChange() after every record; onAuthNeeded(); onConfirmed(record);
 * onRetryScheduled(ms).
 */
export function createSync(hooks) {
  let running = null;
  let failures = 0;
  let retryAt = 0;
  let retryTimer = null;
  let authNeeded = false;

  function scheduleRetry() {
    failures += 1;
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - 1));
    const wait = Math.round(delay / 2 + Math.random() * delay / 2);  // jitter: tablets spread out
    retryAt = Date.now() + wait;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => run("retry"), wait);
    hooks.onRetryScheduled?.(wait);
  }

  async function sendOne(record) {
    let response = await post(record);
    if (response.status === 400 && await refreshCsrfToken()) response = await post(record);
    return response;
  }

  /** Send one record; "next" lets the run go on, anything else stops it. */
  async function deliver(record) {
    let response;
    try {
      response = await sendOne(record);
    } catch (error) {
      scheduleRetry();  // no network: try again later
      return "offline";
    }
    if (response.status === 201 || response.status === 200) {
      await outbox.remove(record.client_id);
      hooks.onConfirmed?.(record);
      return "next";
    }
    if (response.status === 401) {
      authNeeded = true;
      hooks.onAuthNeeded?.();
      return "auth";
    }
    record.attempts += 1;
    if (CONFLICT.has(response.status)) {
      record.state = "conflict";
      record.error = await problemText(response);
      await outbox.put(record);
      return "next";
    }
    await outbox.put(record);
    scheduleRetry();
    return "error";
  }

  async function drain() {
    const tried = new Set();
    for (;;) {
      // Records saved while the run goes are picked up by the next pass.
      const batch = (await outbox.all()).filter(
        (record) => record.state === "pending" && !tried.has(record.client_id));
      if (!batch.length) break;
      for (const record of batch) {
        tried.add(record.client_id);
        const outcome = await deliver(record);
        hooks.onChange?.();
        if (outcome !== "next") return outcome;
      }
    }
    failures = 0;
    retryAt = 0;
    authNeeded = false;
    localStorage.setItem(LAST_SYNC_KEY, String(Date.now()));
    return "done";
  }

  /**
   * Start a run unless one is going (then return that one). While the device says it is
   * offline nothing is tried (the "online" event starts the next run); "online" and the
   * button start afresh, without waiting for the backoff; other automatic runs wait for the
   * backoff and, after a 401, for sign-in.
   */
  function run(why = "auto") {
    if (running) return running;
    if (why === "online" || why === "button") {
      failures = 0;
      retryAt = 0;
      clearTimeout(retryTimer);
    }
    if (!navigator.onLine && why !== "button") return Promise.resolve("offline");
    const manual = why === "button" || why === "load" || why === "retry" || why === "online";
    if (!manual && (authNeeded || Date.now() < retryAt)) return Promise.resolve("waiting");
    running = drain().finally(() => {
      running = null;
      hooks.onChange?.();
    });
    return running;
  }

  return {run, isRunning: () => running !== null};
}
