"""API schemas for stock status, reorder suggestions, policies and requests."""
from marshmallow import Schema, fields, validate

from inventory import fields as bounded
from inventory.catalog.models import ITEM_CATEGORIES
from inventory.limits import MAX_QUANTITY
from inventory.reorder.formula import STATUSES
from inventory.reorder.models import REQUEST_STATES
from inventory.stock.schemas import ReceiptLineArgs

_code = dict(required=True, validate=validate.Length(min=1, max=64))
_sites = fields.List(fields.String(validate=validate.Length(min=1, max=32)),
                     validate=validate.Length(max=100))


class StockStatusArgs(Schema):
    site = _sites
    status = fields.String(validate=validate.OneOf(STATUSES))
    category = fields.String(validate=validate.OneOf(ITEM_CATEGORIES))


class StockStatusSchema(Schema):
    """One site × item. ``amc`` and ``months_of_stock`` are rounded to 2 decimals (null when
    unknown); ``expired`` and ``expiring_N`` count units in lots expired or expiring within N
    days (cumulative)."""

    site = fields.String()
    item = fields.String()
    on_hand = fields.Integer()
    in_transit = fields.Integer()
    amc = fields.Float(allow_none=True)
    stockout_days = fields.Integer()
    months_of_stock = fields.Float(allow_none=True)
    min_months = fields.Float(allow_none=True)
    max_months = fields.Float(allow_none=True)
    status = fields.String()
    discrepancy = fields.Boolean()
    expiring_30 = fields.Integer()
    expiring_60 = fields.Integer()
    expiring_90 = fields.Integer()
    expired = fields.Integer()


class SuggestionArgs(Schema):
    site = _sites


class SuggestionSchema(Schema):
    site = fields.String()
    item = fields.String()
    on_hand = fields.Integer()
    in_transit = fields.Integer()
    amc = fields.Float(allow_none=True)
    months_of_stock = fields.Float(allow_none=True)
    suggested_units = fields.Integer()
    suggested_packs = fields.Integer()


class PolicyArgs(Schema):
    item = fields.String(**_code)
    site = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    # Months to two decimal places (0 to 60); kept exact as Decimal by the service.
    min_months = fields.Float(required=True, validate=validate.Range(min=0, max=60))
    max_months = fields.Float(required=True, validate=validate.Range(min=0, max=60))


class PolicySchema(Schema):
    item = fields.Function(lambda p: p.item.code)
    site = fields.Function(lambda p: p.site.code if p.site else None)
    min_months = fields.Function(lambda p: float(p.min_months))
    max_months = fields.Function(lambda p: float(p.max_months))


class RequestLineArgs(Schema):
    item = fields.String(**_code)
    packs = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_QUANTITY))
    units = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_QUANTITY))


class RequestArgs(Schema):
    client_id = fields.UUID(required=True)
    site = fields.String(**_code)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    lines = fields.List(fields.Nested(RequestLineArgs), required=True,
                        validate=validate.Length(min=1, max=200))


class RequestFilterArgs(Schema):
    site = _sites
    status = fields.String(validate=validate.OneOf(REQUEST_STATES))


class ReceiveRequestArgs(Schema):
    client_id = fields.UUID(required=True)
    occurred_at = bounded.AwareDateTime(required=True)
    backdated = fields.Boolean()
    document_ref = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=80))
    lines = fields.List(fields.Nested(ReceiptLineArgs), validate=validate.Length(min=1, max=200))


class RequestLineSchema(Schema):
    item = fields.Function(lambda line: line.item.code)
    pack_size = fields.Function(lambda line: line.item.pack_size)
    packs = fields.Integer()
    units = fields.Integer()


class RequestSchema(Schema):
    id = fields.Integer()
    client_id = fields.UUID()
    site = fields.Function(lambda r: r.site.code)
    status = fields.String()
    note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    ordered_at = fields.DateTime(allow_none=True)
    received_at = fields.DateTime(allow_none=True)
    receipt_event_id = fields.Integer(allow_none=True)
    lines = fields.List(fields.Nested(RequestLineSchema))


class StockCardArgs(Schema):
    site = fields.String(**_code)
    item = fields.String(**_code)


class StockCardLineSchema(Schema):
    """One ledger line of a site × item, oldest first, with the balance after it."""

    entry = fields.Integer(attribute="event_id")
    occurred_at = fields.DateTime()
    recorded_at = fields.DateTime()
    kind = fields.String()
    lot = fields.String(allow_none=True)
    quantity = fields.Integer()
    balance = fields.Integer()
    recorded_by = fields.String(attribute="who", allow_none=True)
    what = fields.String(attribute="why")
