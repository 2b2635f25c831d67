"""API schemas for transfers: ship, receive (or close), cancel, list."""
from marshmallow import Schema, fields, validate

from inventory import fields as bounded
from inventory.limits import MAX_QUANTITY
from inventory.transfers.models import TRANSFER_STATUSES

_code = dict(required=True, validate=validate.Length(min=1, max=64))


class TransferLineArgs(Schema):
    item = fields.String(**_code)
    # Absent or null: taken first-expired-first-out (shipping), or from the item's lines
    # earliest expiry first (receiving).
    lot = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    quantity = fields.Integer(required=True, strict=True,
                              validate=validate.Range(min=1, max=MAX_QUANTITY))


_lines = dict(validate=validate.Length(max=200))


class TransferArgs(Schema):
    client_id = fields.UUID(required=True)
    from_site = fields.String(**_code)
    to_site = fields.String(**_code)
    occurred_at = bounded.AwareDateTime(required=True)
    backdated = fields.Boolean()
    document_ref = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=80))
    lines = fields.List(fields.Nested(TransferLineArgs), required=True,
                        validate=validate.Length(min=1, max=200))


class TransferReceiveArgs(Schema):
    client_id = fields.UUID(required=True)
    occurred_at = bounded.AwareDateTime(required=True)
    backdated = fields.Boolean()
    lines = fields.List(fields.Nested(TransferLineArgs), load_default=list, **_lines)
    # Close the transfer with this receipt; what is still in transit is written off.
    close = fields.Boolean(load_default=False)
    shortfall_reason = fields.String(load_default=None, allow_none=True,
                                     validate=validate.Length(max=200))


class TransferCancelArgs(Schema):
    # Cancelling is idempotent by itself; a client_id is accepted as on every other POST.
    client_id = fields.UUID()


class TransferFilterArgs(Schema):
    status = fields.String(validate=validate.OneOf(TRANSFER_STATUSES))
    # Either end; repeatable like /stock's.
    site = fields.List(fields.String(validate=validate.Length(min=1, max=32)),
                       validate=validate.Length(max=100))


class TransferLineSchema(Schema):
    item = fields.Function(lambda line: line.item.code)
    lot = fields.Function(lambda line: line.lot.lot_code if line.lot else None)
    expires_on = fields.Function(lambda line: line.lot.expires_on.isoformat()
                                 if line.lot and line.lot.expires_on else None)
    quantity = fields.Integer()
    received = fields.Integer()
    written_off = fields.Integer()
    in_transit = fields.Integer()


class TransferSchema(Schema):
    id = fields.Integer()
    client_id = fields.UUID()
    status = fields.String()
    from_site = fields.Function(lambda transfer: transfer.from_site.code)
    to_site = fields.Function(lambda transfer: transfer.to_site.code)
    occurred_at = fields.DateTime(attribute="shipped_at")
    recorded_at = fields.DateTime()
    document_ref = fields.String(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    shortfall_reason = fields.String(allow_none=True)
    lines = fields.List(fields.Nested(TransferLineSchema))
