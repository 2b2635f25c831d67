// The handout screen: save to the outbox first, then send; keep the badge, the conflicts and
// "Today at this site" up to date.
import {loadCatalogue, t} from "./i18n.js";
import * as outbox from "./outbox.js";
import {createSync, lastSync} from "./sync.js";
import {HandoutForm} from "./form.js";
import {Today} from "./today.js";
import {registerWorker} from "./worker.js";
import {checkLinkage, setSyringeCodes} from "./linkage.js";
import {initSurvey} from "./survey.js";

const TIMER_MS = 2 * 60 * 1000;
const config = JSON.parse(document.getElementById("handout").dataset.config);
const $ = (selector) => document.querySelector(selector);
const itemNames = new Map();

localStorage.setItem("handout-last-site", config.site);

function csrfToken() {
  return $('meta[name="csrf-token"]')?.content || "";
}

function showSignIn() {
  $("#sign-in-prompt").hidden = false;
}

async function loadJson(url) {
  const response = await fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}});
  if (response.status === 401) showSignIn();
  if (!response.ok) return [];
  return response.json();
}

async function refreshBadge() {
  const records = await outbox.all();
  const count = records.length;
  const badge = $("#sync-badge");
  badge.querySelector('[data-part="count"]').textContent =
    count ? t("%(count)s unsynced", {count}) : t("All synced");
  const last = lastSync();
  badge.querySelector('[data-part="last"]').textContent = last
    ? t("Last synced: %(time)s", {time: last.toLocaleTimeString(document.documentElement.lang || "en",
                                                             {hour: "2-digit", minute: "2-digit"})})
    : t("Never synced");
  badge.querySelector('[data-part="net"]').textContent = navigator.onLine ? t("Online") : t("Offline");
  badge.classList.toggle("has-pending", count > 0);
  drawConflicts(records.filter((record) => record.state === "conflict"));
}

function drawConflicts(records) {
  $("#conflicts").hidden = records.length === 0;
  $("#conflict-list").replaceChildren(...records.map((record) => {
    const row = document.createElement("li");
    row.dataset.clientId = record.client_id;
    const when = new Date(record.body.occurred_at || record.body.date).toLocaleString(document.documentElement.lang || "en");
    const text = document.createElement("p");
    text.textContent = `${record.body.site} · ${when} · ${record.error || ""}`;
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "button conflict-retry";
    retry.textContent = t("Try again");
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button conflict-drop";
    drop.textContent = t("Discard");
    row.append(text, retry, drop);
    return row;
  }));
}

function exportPending() {
  outbox.all().then((all) => {
    // A file leaves the app's control: participant codes stay out of it (privacy red line).
    const records = all.map(({body: {participant_code: _code, ...body}, ...record}) => ({...record, body}));
    const blob = new Blob([JSON.stringify({exported_at: new Date().toISOString(), records}, null, 2)],
                          {type: "application/json"});
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `pending-handouts-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
}

async function askPersistentStorage() {
  if (!navigator.storage?.persist) return;
  const persisted = await navigator.storage.persisted() || await navigator.storage.persist();
  $("#storage-warning").hidden = persisted;
}

// A shared tablet left alone goes back to the sign-in page when the program's idle time is
// up (the server has ended the session by then); the outbox stays on the device.
function watchIdle(minutes) {
  if (!minutes) return;
  let last = Date.now();
  for (const name of ["pointerdown", "keydown"]) document.addEventListener(name, () => { last = Date.now(); });
  setInterval(() => {
    if (navigator.onLine && Date.now() - last > minutes * 60 * 1000) {
      location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
    }
  }, 30 * 1000);
}

async function start() {
  const form = new HandoutForm($("#handout-form"), config.site);
  let today = null;
  let todayTimer = null;
  const refreshToday = () => {  // many confirmations in a row: one reload
    clearTimeout(todayTimer);
    todayTimer = setTimeout(() => today?.load(), 300);
  };
  let badgeTimer = null;
  const soonRefreshBadge = () => {  // a run of 500 records redraws the badge a few times a second
    if (!badgeTimer) badgeTimer = setTimeout(() => { badgeTimer = null; refreshBadge(); }, 150);
  };
  const sync = createSync({
    onChange: soonRefreshBadge,
    onAuthNeeded: showSignIn,
    onConfirmed: (record) => { if (record.body.site === config.site) refreshToday(); },
  });

  let saving = false;  // a double tap saves one handout, not two
  $("#handout-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (saving) return;
    const status = $("#save-status");
    const body = form.body();
    if (!body) {
      status.textContent = t("Nothing to save yet.");
      status.dataset.state = "empty";
      return;
    }
    if (!checkLinkage($("#handout-form"), body)) return;
    saving = true;
    try {
      await outbox.add(body);
    } catch (error) {
      // Nothing is lost yet: the form keeps what was entered.
      status.textContent = `${t("Not saved on this device:")} ${error.message || error}`;
      status.dataset.state = "error";
      return;
    } finally {
      saving = false;
    }
    form.reset();
    status.textContent = t("Queued");
    status.dataset.state = "queued";
    refreshBadge();
    sync.run("save");
  });
  $("#clear-form").addEventListener("click", () => form.reset());
  initSurvey(config, {onQueued: () => { refreshBadge(); sync.run("save"); }});
  $("#sync-now").addEventListener("click", () => sync.run("button"));
  $("#export-pending").addEventListener("click", exportPending);
  $("#conflict-list").addEventListener("click", async (event) => {
    const row = event.target.closest("li");
    if (!row) return;
    const record = await outbox.get(row.dataset.clientId);
    if (!record) return;
    if (event.target.closest(".conflict-retry")) {
      record.state = "pending";
      record.error = null;
      await outbox.put(record);
      sync.run("button");
    } else if (event.target.closest(".conflict-drop")) {
      await outbox.remove(record.client_id);
    }
    refreshBadge();
  });
  window.addEventListener("online", () => { refreshBadge(); sync.run("online"); });
  window.addEventListener("offline", refreshBadge);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") sync.run("visible");
  });
  // Only when something waits: a timer that always called the server would keep an idle
  // session alive on a shared tablet.
  setInterval(async () => { if ((await outbox.all()).some((r) => r.state === "pending")) sync.run("timer"); },
              TIMER_MS);

  await refreshBadge();
  await loadCatalogue(document.documentElement.lang);
  const [items, kits] = await Promise.all([loadJson("/api/v1/items"), loadJson("/api/v1/kits")]);
  for (const item of items) itemNames.set(item.code, item.name);
  setSyringeCodes(items);
  form.render(items, kits);
  today = new Today($("#today"), config, {
    csrfToken, onAuthNeeded: showSignIn, itemName: (code) => itemNames.get(code) || code,
  });
  document.body.dataset.handoutReady = "true";
  await refreshBadge();
  sync.run("load");
  today.load();
  askPersistentStorage();
  registerWorker();
  watchIdle(config.idle_minutes);
}

start();
