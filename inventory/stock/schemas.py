"""API schemas for stock: balances, receipts, adjustments and disposals."""
from marshmallow import Schema, fields, validate

from inventory import fields as bounded

from inventory.limits import MAX_QUANTITY

_code = dict(required=True, validate=validate.Length(min=1, max=64))


class StockFilterArgs(Schema):
    # Repeatable (?site=A&site=B): one value or several, never silently only the first.
    site = fields.List(fields.String(validate=validate.Length(min=1, max=32)),
                       validate=validate.Length(max=100))
    item = fields.List(fields.String(validate=validate.Length(min=1, max=40)),
                       validate=validate.Length(max=100))
    include_zero = fields.Boolean(load_default=False)


class StockRowSchema(Schema):
    site = fields.String()
    item = fields.String()
    lot = fields.String(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    on_hand = fields.Integer()


class ReceiptLineArgs(Schema):
    item = fields.String(**_code)
    quantity = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_QUANTITY))
    cases = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_QUANTITY))
    lot = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    expires_on = bounded.Date(load_default=None, allow_none=True)


class _EventArgs(Schema):
    client_id = fields.UUID(required=True)
    site = fields.String(**_code)
    occurred_at = bounded.AwareDateTime(required=True)
    # A coordinator or admin records an event older than OCCURRED_AT_MAX_AGE_DAYS on purpose.
    backdated = fields.Boolean()


class ReceiptArgs(_EventArgs):
    document_ref = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=80))
    # Coordinators and admins: an expired lot is received and disposed of at once.
    for_disposal = fields.Boolean()
    lines = fields.List(fields.Nested(ReceiptLineArgs), required=True,
                        validate=validate.Length(min=1, max=200))


def _not_zero(value: int) -> None:
    if value == 0:
        raise validate.ValidationError("Must not be zero.")


class AdjustmentLineArgs(Schema):
    item = fields.String(**_code)
    lot = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    quantity = fields.Integer(required=True, strict=True, validate=[
        validate.Range(min=-MAX_QUANTITY, max=MAX_QUANTITY), _not_zero])


class AdjustmentArgs(_EventArgs):
    reason = fields.String(**_code)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    lines = fields.List(fields.Nested(AdjustmentLineArgs), required=True,
                        validate=validate.Length(min=1, max=200))


class DisposalLineArgs(AdjustmentLineArgs):
    quantity = fields.Integer(required=True, strict=True,
                              validate=validate.Range(min=1, max=MAX_QUANTITY))


class DisposalArgs(AdjustmentArgs):
    lines = fields.List(fields.Nested(DisposalLineArgs), required=True,
                        validate=validate.Length(min=1, max=200))


class EventLineSchema(Schema):
    item = fields.Function(lambda line: line.item.code)
    lot = fields.Function(lambda line: line.lot.lot_code if line.lot else None)
    quantity = fields.Integer()


class StockEventSchema(Schema):
    id = fields.Integer()
    client_id = fields.UUID()
    kind = fields.String()
    site = fields.Function(lambda event: event.site.code)
    occurred_at = fields.DateTime()
    recorded_at = fields.DateTime()
    reason = fields.String(attribute="reason_code", allow_none=True)
    note = fields.String(allow_none=True)
    document_ref = fields.String(allow_none=True)
    discrepancy = fields.Boolean()
    lines = fields.List(fields.Nested(EventLineSchema))
