"""Languages (issue 11, point 5): English and Spanish pages, chosen from the browser's language
or from the switch (a cookie kept on the device); ``<html lang>``; the Spanish catalogue is
complete and compiled; the handout screen's JSON catalogue comes from the same messages."""
import re
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from inventory.catalog.models import Item
from inventory.i18n import COOKIE, COOKIE_MAX_AGE
from inventory.i18n.screen import SCREEN_MESSAGES, screen_message_ids
from inventory.labels import LABELS
from tests.api_helpers import bearer, receipt_body, receipt_line
from tests.factories import make_site

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
# Words that are the same in both languages.
SAME_IN_SPANISH = {"Outreach Supply Tracker", "Kits", "PrEP/PEP", "18–24", "25–34", "35–44",
                   "45–54", "55–64"}


def _catalogue() -> dict[str, str]:
    with PO.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale="es") if m.id}


def _visible_text(html: str) -> str:
    """The page's text as a person sees or hears it: text nodes and accessible names."""
    names = " ".join(re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', html))
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)) + " " + names)


def _html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def _assert_all_spanish(html: str, data=()) -> None:
    """No English message of ours is left on the page (phrases of two words or more, whose
    Spanish differs). ``data`` (item names…) is left out first: data is never translated."""
    text = _visible_text(html)
    for value in data:
        text = text.replace(value, " ")
    left = sorted(msgid for msgid, spanish in _catalogue().items()
                  if " " in msgid and "%(" not in msgid and spanish != msgid and msgid in text)
    assert not left, f"English left on a Spanish page: {left}"


# --- Choosing the language ---------------------------------------------------------------------

def test_english_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert _html_lang(html) == "en" and "<h1>Sign in</h1>" in html


def test_spanish_from_the_browser_language(client):
    html = client.get("/login", headers=SPANISH).get_data(as_text=True)
    assert _html_lang(html) == "es"
    assert "<h1>Iniciar sesión</h1>" in html and "Correo electrónico" in html
    _assert_all_spanish(html)


def test_unsupported_browser_language_falls_back_to_english(client):
    html = client.get("/login", headers={"Accept-Language": "fr-FR,de;q=0.8"}).get_data(
        as_text=True)
    assert _html_lang(html) == "en"


def test_the_switch_is_remembered_on_the_device(client):
    response = client.get("/language/es?next=/login")
    assert response.status_code == 302 and response.location == "/login"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=es;") and f"Max-Age={COOKIE_MAX_AGE}" in cookie
    assert COOKIE_MAX_AGE >= 365 * 24 * 3600
    # The choice wins over the browser's language, on every later page.
    html = client.get("/login", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert _html_lang(html) == "es" and "Iniciar sesión" in html
    client.get("/language/en?next=/login")
    html = client.get("/login", headers=SPANISH).get_data(as_text=True)
    assert _html_lang(html) == "en"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "\\\\evil",
                                    "", "javascript:alert(1)"])
def test_the_switch_never_leaves_the_site(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.status_code == 302 and response.location == "/"


def test_unknown_language_is_404(client):
    assert client.get("/language/xx").status_code == 404
    assert client.get("/language/es%00").status_code == 404
    assert client.get("/i18n/xx.json").status_code == 404


def test_every_page_has_the_switch_with_the_current_language_marked(client, login_as):
    login_as("staff", sites=[make_site("A")])
    html = client.get("/", headers=SPANISH).get_data(as_text=True)
    assert 'aria-label="Idioma"' in html
    assert re.search(r'href="/language/en\?next=/"[^>]*lang="en"', html)
    assert re.search(r'href="/language/es\?next=/"[^>]*aria-current="true"', html)


# --- Staff pages in Spanish --------------------------------------------------------------------

@pytest.fixture
def staff_in_spanish(client, login_as, db):
    site = make_site("DT", name="Downtown")
    db.session.commit()
    response = client.post("/api/v1/receipts", headers=bearer("coordinator"),
                           json=receipt_body("DT", [receipt_line("SYR-1ML-28G", 100)]))
    assert response.status_code == 201
    login_as("staff", sites=[site])
    client.get("/language/es")
    return client


@pytest.mark.parametrize("path,heading", [
    ("/", "Sus sitios"),
    ("/sites/DT/stock", "Existencias: Downtown"),
    ("/account/password", "Cambie su contraseña"),
    ("/account/tokens", "Sus tokens de la API"),
    ("/sites/DT/receive", "Recibir envío: Downtown"),
    ("/sites/DT/dispose", "Desechar existencias: Downtown"),
    ("/sites/DT/count", "Conteo de existencias: Downtown"),
    ("/transfers", "Traslados"),
    ("/transfers/new", "Enviar un traslado"),
    ("/stock", "Inventario"),
    ("/sharps", "Eliminación de objetos punzantes"),
    ("/sites/DT/handout", "Entregas en Downtown"),
    ("/sites/DT/items/SYR-1ML-28G/card", "Tarjeta de existencias: "),
    ("/sites/NOPE/stock", "No encontrado"),
    ("/admin/", "No permitido"),
    ("/no-such-page", "No encontrado"),
])
def test_staff_pages_in_spanish(staff_in_spanish, db, path, heading):
    response = staff_in_spanish.get(path)
    html = response.get_data(as_text=True)
    assert _html_lang(html) == "es"
    assert heading in html
    for nav in ("Inicio", "Cuenta", "Cerrar sesión"):
        assert nav in html
    _assert_all_spanish(html, data=list(db.session.scalars(select(Item.name))))


def test_home_date_is_written_in_spanish(staff_in_spanish):
    html = staff_in_spanish.get("/").get_data(as_text=True)
    assert re.search(r"Hoy es \w+, \d+ de \w+ de \d{4}", html), _visible_text(html)[:400]


def test_form_errors_in_spanish(staff_in_spanish):
    response = staff_in_spanish.post("/account/password", data={
        "current_password": "not it at all", "password": "a new long passphrase",
        "password_confirm": "something else entirely"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Las contraseñas no coinciden." in html
    response = staff_in_spanish.post("/account/password", data={
        "current_password": "not it at all", "password": "a new long passphrase",
        "password_confirm": "a new long passphrase"})
    assert "Su contraseña actual no es correcta." in response.get_data(as_text=True)
    response = staff_in_spanish.post("/account/password", data={})
    assert "Este campo es obligatorio." in response.get_data(as_text=True)  # WTForms' own


def test_sign_in_error_and_flash_in_spanish(client, make_user, db):
    make_user(role="staff", email="s@example.org")
    db.session.commit()
    client.get("/language/es")
    html = client.post("/login", data={"email": "s@example.org", "password": "wrong"}
                       ).get_data(as_text=True)
    assert "Correo o contraseña incorrectos" in html
    client.post("/login", data={"email": "s@example.org", "password": "correct horse battery"})
    html = client.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert "Ha cerrado la sesión." in html


def test_admin_kit_pages_in_spanish(client, login_as, db):
    login_as("admin")
    client.get("/language/es")
    item_names = list(db.session.scalars(select(Item.name)))
    for path, words in (("/admin/kits", ("<h1>Kits</h1>", "Subir", "Ocultar Injection kit")),
                        ("/admin/kits/new", ("Kit nuevo", "Artículos del kit", "Crear kit"))):
        html = client.get(path).get_data(as_text=True)
        assert all(word in html for word in words)
        _assert_all_spanish(html, data=item_names)
    html = client.get("/admin/kits").get_data(as_text=True)
    assert "Injection kit" in html  # kit names are data: never translated


# --- The catalogue files -----------------------------------------------------------------------

def test_every_message_has_a_spanish_translation():
    catalogue = _catalogue()
    untranslated = sorted(i for i, s in catalogue.items() if not s)
    assert not untranslated
    same = sorted(i for i, s in catalogue.items() if s == i and i not in SAME_IN_SPANISH
                  and re.search("[A-Za-z]", i))
    assert not same, f"left in English: {same}"


def test_every_marked_message_is_in_the_catalogue():
    """The catalogue was updated after the last change to the marked strings (README)."""
    from babel.messages.extract import extract_from_dir

    method_map = [("inventory/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "N_": None, "_l": None, "lazy_gettext": None}
    found = {message for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=keywords)}
    found = {m if isinstance(m, str) else m[0] for m in found}
    missing = sorted(found - set(_catalogue()))
    assert not missing, f"run pybabel extract/update (README, Languages): {missing}"


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == {i: s for i, s in _catalogue().items() if s}, "run pybabel compile"


# --- The handout screen's JSON catalogue -------------------------------------------------------

def test_screen_catalogue_in_spanish(client):
    response = client.get("/i18n/es.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["lang"] == "es"
    messages = body["messages"]
    assert messages["Save handout"] == "Guardar entrega"
    assert messages["Sync now"] == "Sincronizar ahora"
    assert messages["%(count)s unsynced"] == "%(count)s sin sincronizar"
    assert messages["All synced"] == "Todo sincronizado"
    assert messages["Declined to answer"] == "Prefirió no responder"
    assert set(messages) == set(screen_message_ids())
    catalogue = _catalogue()
    assert all(messages[i] == catalogue[i] for i in messages)
    # Placeholders survive translation, so the script can fill them.
    for msgid, text in messages.items():
        assert re.findall(r"%\(\w+\)s", msgid) == re.findall(r"%\(\w+\)s", text), msgid


def test_screen_catalogue_covers_every_label_the_config_sends(client):
    messages = client.get("/i18n/es.json").get_json()["messages"]
    config = client.get("/api/v1/handout-config", headers=bearer("staff")).get_json()
    labels = [c["label"] for key in ("encounter_types", "referrals") for c in config[key]]
    labels += [c["label"] for choices in config["demographics"].values() for c in choices]
    labels += [p["label"] for p in config["participant_code"]["recipe"]]
    assert labels and all(label in messages for label in labels)
    assert all(label in messages for kind in LABELS.values() for label in kind.values())
    assert all(m in messages for m in SCREEN_MESSAGES)


def test_english_catalogue_is_the_ids_themselves(client):
    messages = client.get("/i18n/en.json").get_json()["messages"]
    assert messages["Save handout"] == "Save handout"
    assert all(k == v for k, v in messages.items())


def test_screen_catalogue_is_cacheable_and_public(app, db):
    anonymous = app.test_client()
    first = anonymous.get("/i18n/es.json")
    assert first.status_code == 200 and "public" in first.headers["Cache-Control"]
    again = anonymous.get("/i18n/es.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("role,words", [
    ("coordinator", ("Sitios", "Entregas de hoy", "Resumen de existencias", "Hoy es")),
    ("reporter", ("Informes", "Abrir informes")),
])
def test_other_roles_home_pages_in_spanish(client, login_as, db, role, words):
    make_site("DT", name="Downtown")
    db.session.commit()
    login_as(role)
    client.get("/language/es")
    html = client.get("/").get_data(as_text=True)
    assert _html_lang(html) == "es" and all(word in html for word in words)
    _assert_all_spanish(html)


def test_outside_a_request_messages_are_english(app, db):
    from flask_babel import gettext

    assert gettext("Save handout") == "Save handout"  # an app context only (CLI, jobs)
