"""API schemas for sites and items."""
from marshmallow import Schema, fields


class SiteSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    active = fields.Boolean()


class ItemSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    category = fields.String()
    unit = fields.String()
    pack_size = fields.Integer()
    doses_per_unit = fields.Integer()
    tracks_expiry = fields.Boolean()
    display_order = fields.Integer()
    active = fields.Boolean()


class CatalogFilterArgs(Schema):
    include_inactive = fields.Boolean(load_default=False)
