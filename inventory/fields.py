"""Marshmallow fields for dates and instants held to :mod:`inventory.input_rules`' calendar
bounds: a value outside them is a validation error on its field (422 in the API, the form's
message on a page), never an overflow further down."""
from marshmallow import ValidationError, fields

from inventory.input_rules import DATE_MESSAGE, date_in_range


class Date(fields.Date):
    """An ISO date from DATE_MIN to DATE_MAX."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not date_in_range(day):
            raise ValidationError(DATE_MESSAGE)
        return day


class AwareDateTime(fields.AwareDateTime):
    """An ISO date-time with an offset whose day, local and in UTC, is within the bounds."""

    def _deserialize(self, value, attr, data, **kwargs):
        instant = super()._deserialize(value, attr, data, **kwargs)
        if not date_in_range(instant):
            raise ValidationError(DATE_MESSAGE)
        return instant
