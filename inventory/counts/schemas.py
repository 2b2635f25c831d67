"""API schemas for physical counts."""
from marshmallow import Schema, fields, validate

from inventory import fields as bounded
from inventory.limits import MAX_QUANTITY

_code = dict(required=True, validate=validate.Length(min=1, max=64))


class CountLineArgs(Schema):
    item = fields.String(**_code)
    # Absent or null: stock of the item not tied to a lot.
    lot = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    counted = fields.Integer(required=True, strict=True,
                             validate=validate.Range(min=0, max=MAX_QUANTITY))


class CountArgs(Schema):
    client_id = fields.UUID(required=True)
    site = fields.String(**_code)
    # When the snapshot was taken (the count began); default: now. Stock recorded as moving
    # after it is flagged moved_since_start.
    started_at = bounded.AwareDateTime(load_default=None, allow_none=True)
    occurred_at = bounded.AwareDateTime(required=True)
    backdated = fields.Boolean()
    lines = fields.List(fields.Nested(CountLineArgs), required=True,
                        validate=validate.Length(min=1, max=500))


class CountLineSchema(Schema):
    item = fields.Function(lambda line: line.item.code)
    lot = fields.Function(lambda line: line.lot.lot_code if line.lot else None)
    expected = fields.Integer()
    counted = fields.Integer(allow_none=True)
    variance = fields.Integer(allow_none=True)
    moved_since_start = fields.Boolean()


class CountSchema(Schema):
    id = fields.Integer()
    client_id = fields.UUID()
    site = fields.Function(lambda count: count.site.code)
    status = fields.String()
    started_at = fields.DateTime()
    occurred_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(CountLineSchema))
