"""API schemas for encounters. The participant code goes in, never out."""
from marshmallow import Schema, fields, validate

from inventory import fields as bounded

from inventory.encounters.models import ENCOUNTER_TYPES, REFERRAL_TYPES
from inventory.limits import MAX_PEOPLE, MAX_QUANTITY, MAX_WEIGHT_LB
from inventory.participants.models import AGE_RANGES, GENDERS, RACE_ETHNICITIES


def _count(maximum: int = MAX_PEOPLE):
    return fields.Integer(load_default=0, strict=True, validate=validate.Range(0, maximum))


class EncounterItemArgs(Schema):
    item = fields.String(required=True, validate=validate.Length(min=1, max=40))
    quantity = fields.Integer(required=True, strict=True,
                              validate=validate.Range(min=1, max=MAX_QUANTITY))


class EncounterArgs(Schema):
    client_id = fields.UUID(required=True)
    site = fields.String(required=True, validate=validate.Length(min=1, max=32))
    occurred_at = bounded.AwareDateTime(required=True)
    # A coordinator or admin records a visit older than OCCURRED_AT_MAX_AGE_DAYS on purpose.
    backdated = fields.Boolean()
    encounter_type = fields.String(load_default="site", validate=validate.OneOf(ENCOUNTER_TYPES))
    participant_code = fields.String(load_default=None, allow_none=True,
                                     validate=validate.Length(max=40), load_only=True)
    age_range = fields.String(load_default=None, allow_none=True,
                              validate=validate.OneOf(AGE_RANGES))
    gender = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(GENDERS))
    race_ethnicity = fields.String(load_default=None, allow_none=True,
                                   validate=validate.OneOf(RACE_ETHNICITIES))
    items = fields.List(fields.Nested(EncounterItemArgs), load_default=list,
                        validate=validate.Length(max=50))
    syringes_returned = _count(MAX_QUANTITY)
    returns_estimated = fields.Boolean(load_default=False)
    secondary_people = _count()
    naloxone_used = _count()
    reversals_reported = _count()
    referrals = fields.List(fields.String(validate=validate.OneOf(REFERRAL_TYPES)),
                            load_default=list, validate=validate.Length(max=len(REFERRAL_TYPES)))
    # Issue 15 (all optional, so existing clients keep working). Service codes are checked
    # against the admin-editable list (GET /api/v1/services) by the service layer.
    services = fields.List(fields.String(validate=validate.Length(min=1, max=32)),
                           load_default=list, validate=validate.Length(max=50))
    entered_treatment_reported = _count()
    secondary_syringes = _count(MAX_QUANTITY)
    reversals_with_program_naloxone = _count()
    returns_weight_lb = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                                     validate=validate.Range(0, MAX_WEIGHT_LB))


class EncounterFilterArgs(Schema):
    # Repeatable (?site=A&site=B), as for stock.
    site = fields.List(fields.String(validate=validate.Length(min=1, max=32)),
                       validate=validate.Length(max=100))
    date_from = bounded.Date(data_key="from")
    date_to = bounded.Date(data_key="to")


class VoidArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class EncounterItemSchema(Schema):
    item = fields.String()
    quantity = fields.Integer()


class EncounterSchema(Schema):
    """Dumps :class:`inventory.encounters.records.EncounterRecord`."""

    id = fields.Integer()
    client_id = fields.UUID()
    site = fields.String()
    occurred_at = fields.DateTime()
    recorded_at = fields.DateTime()
    encounter_type = fields.String()
    has_participant_code = fields.Boolean()
    items = fields.List(fields.Nested(EncounterItemSchema))
    syringes_returned = fields.Integer()
    returns_estimated = fields.Boolean()
    secondary_people = fields.Integer()
    naloxone_used = fields.Integer()
    reversals_reported = fields.Integer()
    referrals = fields.List(fields.String())
    services = fields.List(fields.String())
    entered_treatment_reported = fields.Integer()
    secondary_syringes = fields.Integer()
    reversals_with_program_naloxone = fields.Integer()
    returns_weight_lb = fields.Float(allow_none=True)
    stock_discrepancy = fields.Boolean()
    void = fields.Boolean()
    voided_at = fields.DateTime(allow_none=True)
    void_reason = fields.String(allow_none=True)
