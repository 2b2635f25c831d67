// "Today at this site": totals by item, the number of handouts and the recent ones with Void,
// read from GET /api/v1/encounters?site=&from=&to= (program-local day).
import {t} from "./i18n.js";

const PAGE_SIZE = 100;
const MAX_PAGES = 20;
const RECENT = 10;

function localDate(timeZone, when = new Date()) {
  return new Intl.DateTimeFormat("en-CA", {timeZone, year: "numeric", month: "2-digit", day: "2-digit"})
    .format(when);
}

function clock(iso, timeZone) {
  return new Intl.DateTimeFormat(document.documentElement.lang || "en",
    {timeZone, hour: "2-digit", minute: "2-digit"}).format(new Date(iso));
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

export class Today {
  constructor(section, config, hooks) {
    this.section = section;
    this.config = config;
    this.hooks = hooks;  // {csrfToken(), onAuthNeeded(), itemName(code)}
    this.section.addEventListener("click", (event) => this.onClick(event));
    this.section.addEventListener("submit", (event) => this.onSubmit(event));
  }

  async fetchAll() {
    const day = localDate(this.config.timezone);
    const encounters = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const query = new URLSearchParams({site: this.config.site, from: day, to: day,
                                         page: String(page), page_size: String(PAGE_SIZE)});
      const response = await fetch(`/api/v1/encounters?${query}`,
        {credentials: "same-origin", headers: {Accept: "application/json"}});
      if (response.status === 401) {
        this.hooks.onAuthNeeded();
        return null;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const rows = await response.json();
      encounters.push(...rows);
      if (rows.length < PAGE_SIZE) break;
    }
    return encounters;
  }

  async load() {
    const summary = this.section.querySelector("#today-summary");
    let encounters;
    try {
      encounters = await this.fetchAll();
    } catch (error) {
      summary.textContent = t("Today's figures need a connection. Handouts saved here are kept and sent later.");
      return;
    }
    if (encounters) this.draw(encounters);
  }

  draw(encounters) {
    const live = encounters.filter((encounter) => !encounter.void);
    const totals = new Map();
    for (const encounter of live) {
      for (const line of encounter.items) totals.set(line.item, (totals.get(line.item) || 0) + line.quantity);
    }
    this.section.querySelector("#today-summary").textContent =
      `${t("Handouts today")}: ${live.length}`;
    const table = this.section.querySelector("#today-totals");
    table.hidden = totals.size === 0;
    table.tBodies[0].replaceChildren(...[...totals].map(([code, quantity]) => {
      const row = element("tr");
      row.append(element("td", {}, this.hooks.itemName(code)), element("td", {class: "num"}, String(quantity)));
      return row;
    }));
    const list = this.section.querySelector("#today-recent");
    list.replaceChildren(...encounters.slice(0, RECENT).map((encounter) => this.recentRow(encounter)));
    if (!encounters.length) list.append(element("li", {class: "muted"}, t("No handouts yet today.")));
  }

  recentRow(encounter) {
    const time = clock(encounter.occurred_at, this.config.timezone);
    const row = element("li", {class: encounter.void ? "recent void" : "recent", "data-encounter": String(encounter.id)});
    const items = encounter.items.map((line) => `${line.quantity} × ${this.hooks.itemName(line.item)}`).join(", ");
    row.append(element("span", {class: "recent-text"}, `${time} · ${items || t("no items")}`));
    if (encounter.void) {
      row.append(element("span", {class: "recent-void"}, `${t("Voided")}: ${encounter.void_reason || ""}`));
      return row;
    }
    row.append(element("button", {type: "button", class: "button void-open",
                                  "aria-label": t("Void handout of %(time)s", {time})}, t("Void")));
    const form = element("form", {class: "void-form", hidden: ""});
    const inputId = `void-reason-${encounter.id}`;
    form.append(element("label", {for: inputId}, t("Reason")),
                element("input", {type: "text", id: inputId, maxlength: "200", autocomplete: "off"}),
                element("button", {type: "submit", class: "button"}, t("Void handout")),
                element("p", {class: "error", role: "alert"}));
    row.append(form);
    return row;
  }

  onClick(event) {
    const open = event.target.closest(".void-open");
    if (!open) return;
    const form = open.parentElement.querySelector(".void-form");
    form.hidden = false;
    open.hidden = true;
    form.querySelector("input").focus();
  }

  async onSubmit(event) {
    const form = event.target.closest(".void-form");
    if (!form) return;
    event.preventDefault();
    const reason = form.querySelector("input").value.trim();
    const error = form.querySelector(".error");
    if (!reason) {
      error.textContent = t("Reason is required.");
      return;
    }
    const id = form.closest("li").dataset.encounter;
    let response;
    try {
      response = await fetch(`/api/v1/encounters/${id}/void`, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", Accept: "application/json",
                  "X-CSRFToken": this.hooks.csrfToken()},
        body: JSON.stringify({reason}),
      });
    } catch (failure) {
      error.textContent = t("Voiding needs a connection. Try again when online.");
      return;
    }
    if (response.status === 401) {
      this.hooks.onAuthNeeded();
      return;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      error.textContent = problem.detail || problem.title || `HTTP ${response.status}`;
      return;
    }
    await this.load();
  }
}
