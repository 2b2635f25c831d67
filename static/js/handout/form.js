// The handout form: kit buttons, item tiles with steppers, the visit fields, the participant
// code builder; turns what was entered into an encounter body for the API.
import {t} from "./i18n.js";
import {linkageBody, resetLinkage} from "./linkage.js";

const COUNT_FIELDS = ["syringes_returned", "secondary_people", "naloxone_used", "reversals_reported"];
const CHOICE_FIELDS = ["age_range", "gender", "race_ethnicity"];
const MAX_QUANTITY = 100000;  // inventory/limits.py

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

/** A UUIDv4 (crypto.randomUUID needs a secure context; this works on plain http too). */
export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function stepperTile(item) {
  const id = `item-${item.code}`;
  const tile = element("div", {class: "stepper item-tile", "data-item": item.code});
  tile.append(element("label", {class: "stepper-label", for: id}, item.name));
  const controls = element("div", {class: "stepper-controls"});
  controls.append(
    element("button", {type: "button", class: "step", "data-step": "-1",
                       "aria-label": t("Remove one %(item)s", {item: item.name})}, "−"),
    element("input", {type: "text", inputmode: "numeric", pattern: "[0-9]*", autocomplete: "off",
                      id, value: "0", "data-max": String(MAX_QUANTITY)}),
    element("button", {type: "button", class: "step", "data-step": "1",
                       "aria-label": t("Add one %(item)s", {item: item.name})}, "+"),
  );
  tile.append(controls);
  return tile;
}

function kitButton(kit, names) {
  const button = element("button", {type: "button", class: "kit", "data-kit": kit.code});
  button.append(element("span", {class: "kit-name"}, kit.name));
  const contents = kit.items.map((line) => `${line.quantity} × ${names.get(line.item) || line.item}`);
  button.append(element("span", {class: "kit-contents"}, contents.join(", ")));
  return button;
}

function readCount(input) {
  const value = parseInt(input.value, 10);
  const max = parseInt(input.dataset.max, 10) || MAX_QUANTITY;
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), max) : 0;
}

function setCount(input, value) {
  const max = parseInt(input.dataset.max, 10) || MAX_QUANTITY;
  input.value = String(Math.min(Math.max(value, 0), max));
  input.closest(".stepper")?.classList.toggle("has-value", value > 0);
}

export class HandoutForm {
  constructor(form, site) {
    this.form = form;
    this.site = site;
    this.kits = new Map();
    form.addEventListener("click", (event) => this.onClick(event));
    form.addEventListener("input", (event) => this.onInput(event));
    form.addEventListener("change", (event) => {
      if (event.target.matches(".stepper input")) setCount(event.target, readCount(event.target));
    });
  }

  /** Draw the kit buttons and the item tiles from the catalogue. */
  render(items, kits) {
    const names = new Map(items.map((item) => [item.code, item.name]));
    const tiles = this.form.querySelector("#item-tiles");
    tiles.replaceChildren(...items.map(stepperTile));
    this.form.querySelector("#items-empty").hidden = items.length > 0;
    const buttons = this.form.querySelector("#kit-buttons");
    buttons.replaceChildren(...kits.map((kit) => kitButton(kit, names)));
    this.form.querySelector("#kits-empty").hidden = kits.length > 0;
    this.kits = new Map(kits.map((kit) => [kit.code, kit]));
  }

  onClick(event) {
    const step = event.target.closest("button[data-step]");
    if (step) {
      const input = step.parentElement.querySelector("input");
      setCount(input, readCount(input) + Number(step.dataset.step));
      return;
    }
    const kit = event.target.closest("button[data-kit]");
    if (kit) {
      this.addKit(this.kits.get(kit.dataset.kit));
      return;
    }
    const chip = event.target.closest("button.chip");
    if (chip) chip.setAttribute("aria-pressed", String(chip.getAttribute("aria-pressed") !== "true"));
  }

  onInput(event) {
    const input = event.target;
    if (input.matches(".stepper input")) {
      input.value = input.value.replace(/\D/g, "").slice(0, 6);
    } else if (input.matches(".code-part")) {
      const digits = input.dataset.kind === "digits";
      input.value = input.value.toUpperCase().replace(digits ? /\D/g : /[^\p{L}]/gu, "");
      this.buildCode();
    }
  }

  addKit(kit) {
    if (!kit) return;
    for (const line of kit.items) {
      const input = this.form.querySelector(`.item-tile[data-item="${CSS.escape(line.item)}"] input`);
      if (input) setCount(input, readCount(input) + line.quantity);
    }
  }

  buildCode() {
    const parts = [...this.form.querySelectorAll(".code-part")].map((input) => input.value);
    this.form.querySelector("#f-participant_code").value = parts.join("");
  }

  /** The encounter body, or null when nothing was entered. */
  body() {
    const items = [...this.form.querySelectorAll(".item-tile")]
      .map((tile) => ({item: tile.dataset.item, quantity: readCount(tile.querySelector("input"))}))
      .filter((line) => line.quantity > 0);
    const body = {
      client_id: newClientId(),
      site: this.site,
      occurred_at: new Date().toISOString(),
      encounter_type: this.form.querySelector("#f-encounter_type").value,
      items,
      returns_estimated: this.form.querySelector("#f-returns_estimated").getAttribute("aria-pressed") === "true",
      referrals: [...this.form.querySelectorAll("button[data-referral][aria-pressed=true]")]
        .map((chip) => chip.dataset.referral),
    };
    for (const field of COUNT_FIELDS) body[field] = readCount(this.form.querySelector(`#f-${field}`));
    const code = this.form.querySelector("#f-participant_code").value.trim().toUpperCase();
    if (code) body.participant_code = code;
    for (const field of CHOICE_FIELDS) {
      const value = this.form.querySelector(`#f-${field}`).value;
      if (value) body[field] = value;
    }
    const linkage = linkageBody(this.form);
    Object.assign(body, linkage);
    const empty = !items.length && !body.referrals.length && !body.participant_code
      && COUNT_FIELDS.every((field) => body[field] === 0) && !Object.keys(linkage).length;
    return empty ? null : body;
  }

  /** Ready for the next person; the encounter type stays (a shift is usually one kind). */
  reset() {
    for (const input of this.form.querySelectorAll(".stepper input")) setCount(input, 0);
    for (const chip of this.form.querySelectorAll("button.chip")) chip.setAttribute("aria-pressed", "false");
    for (const input of this.form.querySelectorAll(".code-part, #f-participant_code")) input.value = "";
    for (const field of CHOICE_FIELDS) this.form.querySelector(`#f-${field}`).value = "";
    for (const details of this.form.querySelectorAll("details")) details.open = false;
    resetLinkage(this.form);
  }
}
