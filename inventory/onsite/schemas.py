"""API schemas for on-site services and sharps disposal."""
from marshmallow import Schema, fields, validate

from inventory import fields as bounded
from inventory.onsite.services import MAX_CONTAINERS, MAX_WEIGHT_LB


class ServiceSchema(Schema):
    code = fields.String(metadata={"description": "What an encounter's `services` list holds"})
    name = fields.String(metadata={"description": "English name as the admin set it"})


class SharpsDisposalArgs(Schema):
    client_id = fields.UUID(required=True)
    site = fields.String(required=True, validate=validate.Length(min=1, max=32))
    disposed_on = bounded.Date(required=True)
    containers = fields.Integer(load_default=0, strict=True,
                                validate=validate.Range(0, MAX_CONTAINERS))
    weight_lb = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                             validate=validate.Range(0, int(MAX_WEIGHT_LB)))
    reference = fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=80))


class SharpsDisposalSchema(Schema):
    id = fields.Integer()
    site = fields.Function(lambda row: row.site.code)
    disposed_on = fields.Date()
    containers = fields.Integer()
    weight_lb = fields.Float(allow_none=True)
    reference = fields.String(allow_none=True)
    recorded_at = fields.DateTime()
