"""API schemas of the point-in-time survey. Every answer is optional (skipped: left out or null)."""
from marshmallow import Schema, fields, validate

from inventory import fields as bounded
from inventory.limits import MAX_PEOPLE
from inventory.participants.models import AGE_RANGES, GENDERS, RACE_ETHNICITIES


def _answer(choices):
    return fields.String(load_default=None, allow_none=True, validate=validate.OneOf(choices))


def _count():
    return fields.Integer(load_default=None, allow_none=True, strict=True,
                          validate=validate.Range(0, MAX_PEOPLE))


class SurveyResponseArgs(Schema):
    client_id = fields.UUID(required=True)
    site = fields.String(required=True, validate=validate.Length(min=1, max=32))
    date = bounded.Date(required=True, metadata={"description": "Local date it was answered; "
                                                              "no time is sent or stored"})
    own_overdoses_3m = _count()
    reversals_witnessed = _count()
    age_range = _answer(AGE_RANGES)
    gender = _answer(GENDERS)
    race_ethnicity = _answer(RACE_ETHNICITIES)


class SurveyResponseSchema(Schema):
    """What the server confirms: nothing that names the response beyond its client_id."""

    client_id = fields.UUID()
    site = fields.Function(lambda row: row.site.code)
    date = fields.Date(attribute="response_date")


class SurveyWindowSchema(Schema):
    id = fields.Integer()
    first_day = fields.Date()
    last_day = fields.Date()
    sites = fields.Function(lambda w: [s.code for s in w.sites])
