"""Languages (issue 11, point 5) on the stock pages of issue 12 that staff open at their own
site: transfers (list, detail, receive), receive a shipment, dispose of stock, count stock.
Their forms, flashes and the service errors they re-show are in Spanish; the API that raises
the same errors keeps answering in English."""
import re
import uuid

import pytest
from sqlalchemy import select

from inventory.catalog.models import Item
from tests.api_helpers import bearer, now_iso, receipt_body, receipt_line
from tests.factories import make_site
from tests.test_i18n import _assert_all_spanish, _html_lang

SYR, NAL = "SYR-1ML-28G", "NARCAN-4MG"


def _transfer(client, source, dest, quantity):
    response = client.post("/api/v1/transfers", headers=bearer("coordinator"), json={
        "client_id": str(uuid.uuid4()), "from_site": source, "to_site": dest,
        "occurred_at": now_iso(), "lines": [{"item": SYR, "quantity": quantity}]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _line(index, **values):
    return {f"lines-{index}-{key}": value for key, value in values.items()}


def _errors(html):
    return re.findall(r'<p class="error"[^>]*>([^<]*)</p>', html)


@pytest.fixture
def spanish_staff(client, login_as, db):
    """Staff at Downtown (DT), Spanish chosen; 100 syringes at DT and at Uptown (UP); one
    transfer DT → UP (outgoing) and one UP → DT (to receive), 10 each."""
    downtown = make_site("DT", name="Downtown")
    make_site("UP", name="Uptown")
    db.session.commit()
    for code in ("DT", "UP"):
        response = client.post("/api/v1/receipts", headers=bearer("coordinator"),
                               json=receipt_body(code, [receipt_line(SYR, 100)]))
        assert response.status_code == 201
    ids = {"out": _transfer(client, "DT", "UP", 10), "in": _transfer(client, "UP", "DT", 10)}
    login_as("staff", sites=[downtown])
    client.get("/language/es")
    return ids


@pytest.fixture
def item_names(db):
    return list(db.session.scalars(select(Item.name)))


def _spanish_page(client, path, item_names, status=200, **kwargs):
    response = client.post(path, **kwargs) if "data" in kwargs else client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == status, html[:300]
    assert _html_lang(html) == "es"
    _assert_all_spanish(html, data=item_names)
    return html


def test_transfer_pages_in_spanish(client, spanish_staff, item_names):
    out, incoming = spanish_staff["out"], spanish_staff["in"]
    html = _spanish_page(client, "/transfers", item_names)
    assert "En tránsito" in html and "10 unidades" in html and "enviado el" in html
    assert "Cualquiera" in html and "Sitio (origen o destino)" in html
    html = _spanish_page(client, f"/transfers/{out}", item_names)
    assert f"Traslado TR-{out}" in html and "De Downtown (DT) a Uptown (UP)" in html
    assert "Cancelar traslado" in html and "Dado de baja" in html
    html = _spanish_page(client, f"/transfers/{incoming}/receive", item_names)
    assert f"Recibir traslado TR-{incoming}" in html and "Registrar recepción" in html
    assert 'aria-label="Llegó: 1 mL 28G ½&#34; syringe lote LOT-1"' in html \
        or 'aria-label="Llegó: 1 mL 28G ½&quot; syringe lote LOT-1"' in html
    html = _spanish_page(client, "/transfers/new", item_names)
    assert "Sitio de origen" in html and "Línea 1" in html and "— elija —" in html
    assert "(syringe, 100 por caja)" in html  # the item's unit is data


def test_transfer_forms_reshown_with_errors_in_spanish(client, spanish_staff, item_names):
    html = _spanish_page(client, "/transfers/new", item_names, status=422, data={
        "from_site": "DT", "to_site": "UP", **_line(0, item=SYR, quantity="500")})
    # 100 received, 10 shipped out: 90 left at DT.
    assert "Solo hay 90 disponibles; no se pueden sacar 500." in _errors(html)
    html = _spanish_page(client, "/transfers/new", item_names, status=422, data={
        "from_site": "DT", "to_site": "DT", **_line(0, item=SYR, quantity="abc")})
    assert "No es un valor entero válido." in _errors(html)  # WTForms' own, on a line
    incoming = spanish_staff["in"]
    html = _spanish_page(client, f"/transfers/{incoming}/receive", item_names, status=422,
                         data={**_line(0, line_id="x", quantity="1"), "close": "y"})
    assert "Diga por qué no llegó el resto." in _errors(html)
    response = client.post(f"/transfers/{incoming}/receive", follow_redirects=True, data={
        "close": "y", "shortfall_reason": "perdido"})
    html = response.get_data(as_text=True)
    assert "Registrado. El traslado ahora está cerrado." in html and "Cerrado" in html
    _assert_all_spanish(html, data=item_names)


def test_the_api_keeps_english_for_the_same_error(client, spanish_staff):
    response = client.post("/api/v1/transfers", headers={
        **bearer("coordinator"), "Accept-Language": "es"}, json={
        "client_id": str(uuid.uuid4()), "from_site": "DT", "to_site": "UP",
        "occurred_at": now_iso(), "lines": [{"item": SYR, "quantity": 500}]})
    assert response.status_code == 422
    assert "Only 90 on hand; cannot remove 500." in str(response.get_json())


def test_receive_page_errors_and_flash_in_spanish(client, spanish_staff, item_names):
    html = _spanish_page(client, "/sites/DT/receive", item_names, status=422,
                         data=_line(0, item=NAL, quantity="5"))
    assert "NARCAN-4MG lleva control de vencimiento: indique el código de lote." in _errors(html)
    html = _spanish_page(client, "/sites/DT/receive", item_names, status=422,
                         data=_line(0, item=SYR, lot="A\x00B", quantity="5"))
    assert "Contiene un carácter no permitido (NUL o un sustituto aislado)." in _errors(html)
    response = client.post("/sites/DT/receive", follow_redirects=True,
                           data={**_line(0, item=SYR, cases="1"), **_line(1, item=SYR,
                                                                           quantity="3")})
    assert "Se recibieron 2 líneas en DT." in response.get_data(as_text=True)


def test_dispose_page_errors_and_flash_in_spanish(client, spanish_staff, item_names):
    page = _spanish_page(client, "/sites/DT/dispose", item_names)
    assert "Desechar: 1 mL 28G" in page and "Obligatoria para Otro." in page
    assert "Otro (nota obligatoria)" in page and "Dañado" in page
    key = re.search(r'name="lines-0-key"[^>]*value="([^"]+)"', page).group(1)
    html = _spanish_page(client, "/sites/DT/dispose", item_names, status=422, data={
        "reason": "damaged", **_line(0, key=key, quantity="500")})
    assert "Solo hay 90 disponibles; no se pueden sacar 500." in _errors(html)
    html = _spanish_page(client, "/sites/DT/dispose", item_names, status=422, data={
        "reason": "damaged", **_line(0, key=key)})
    assert "Escriba una cantidad en al menos una línea." in html
    response = client.post("/sites/DT/dispose", follow_redirects=True, data={
        "reason": "damaged", **_line(0, key=key, quantity="4")})
    assert "Se desecharon 4 unidades en DT." in response.get_data(as_text=True)


def test_count_pages_in_spanish(client, spanish_staff, item_names):
    html = _spanish_page(client, "/sites/DT/count", item_names)
    assert "Empezar conteo" in html
    response = client.post("/sites/DT/count", data={})
    assert response.status_code == 302
    path = response.location
    html = _spanish_page(client, path, item_names)
    assert "Conteo en Downtown" in html and "Enviar conteo" in html and "Esperado" in html
    # Every active item has a line (no lot, expected 0) besides the syringes' lot LOT-1 (90).
    rows = dict(re.findall(r'name="lines-(\d+)-line_id"[^>]*value="(\d+)"', html))
    labels = dict((i, label) for label, i in re.findall(
        r'aria-label="([^"]+)"[^>]*name="lines-(\d+)-counted"', html))
    assert set(labels) == set(rows) and all(v.startswith("Contado: ") for v in labels.values())
    syringes = next(i for i, label in labels.items() if label.endswith("lote LOT-1"))
    assert sum(label.endswith(" sin lote") for label in labels.values()) == len(labels) - 1
    html = _spanish_page(client, path, item_names, status=422, data={
        "action": "submit", **_line(syringes, line_id=rows[syringes])})
    assert "Escriba una cifra en cada línea (0 cuando no hay nada)." in _errors(html)
    response = client.post(path, follow_redirects=True, data={
        "action": "save", **_line(syringes, line_id=rows[syringes], counted="88")})
    assert "Guardado." in response.get_data(as_text=True)
    figures = {}
    for index, line_id in rows.items():
        figures |= _line(index, line_id=line_id, counted="88" if index == syringes else "0")
    response = client.post(path, follow_redirects=True, data={"action": "submit", **figures})
    html = response.get_data(as_text=True)
    assert "Conteo enviado: las diferencias quedaron en el registro de existencias." in html
    assert "Diferencia" in html and ">-2<" in html  # 90 expected, 88 counted
    _assert_all_spanish(html, data=item_names)
    again = client.get("/sites/DT/count").get_data(as_text=True)
    assert "Conteos sin enviar" not in again


def test_error_pages_of_the_stock_pages_in_spanish(client, spanish_staff, item_names):
    """Another site's pages and unknown records: the error page says why, in Spanish."""
    html = _spanish_page(client, "/sites/UP/receive", item_names, status=403)
    assert "No permitido" in html and "No está asignado al sitio UP." in html
    html = _spanish_page(client, "/transfers/999999", item_names, status=404)
    assert "No existe el traslado 999999." in html
    html = _spanish_page(client, "/counts/999999", item_names, status=404)
    assert "No existe el conteo 999999." in html


def test_stock_dashboard_site_stock_and_card_in_spanish(client, spanish_staff, item_names):
    html = _spanish_page(client, "/stock", item_names)
    assert "<h1>Inventario</h1>" in html and "Meses de existencias" in html
    assert "Agotado" in html and "Todos los sitios" in html
    html = _spanish_page(client, "/sites/DT/stock", item_names)
    assert "Existencias: Downtown" in html and "Recibir envío" in html
    assert "Lote LOT-1" in html and "Vence el 2031-12-31" in html and "Tarjeta de existencias" in html
    html = _spanish_page(client, f"/sites/DT/items/{SYR}/card", item_names)
    assert "Tarjeta de existencias: 1 mL 28G" in html and "Volver a las existencias de DT" in html
    # 100 received, 10 sent to UP: two lines, newest first, with their reasons in Spanish.
    assert "2 líneas, las más recientes primero." in html
    assert "Traslado enviado (a UP)" in html and ">Recibido" in html
    assert html.index("Traslado enviado") < html.index(">Recibido")
    csv = client.get(f"/sites/DT/items/{SYR}/card.csv").get_data(as_text=True)
    assert "Transfer sent (to UP)" in csv  # the auditors' export stays English


def test_sharps_disposal_page_and_its_errors_in_spanish(client, spanish_staff, item_names):
    html = _spanish_page(client, "/sharps", item_names)
    assert "Eliminación de objetos punzantes" in html
    today = re.search(r'name="disposed_on"[^>]*value="([^"]+)"', html).group(1)
    html = _spanish_page(client, "/sharps", item_names, status=422, data={
        "site": "DT", "disposed_on": today, "containers": "0"})
    assert "Indique los contenedores o el peso enviado a destrucción." in _errors(html)
    html = _spanish_page(client, "/sharps", item_names, status=422, data={
        "site": "DT", "disposed_on": "2999-12-31", "containers": "2"})
    assert "La fecha está en el futuro." in _errors(html)
