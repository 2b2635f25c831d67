"""The base of every HTML form: Flask-WTF (CSRF) plus :mod:`inventory.input_rules`' text rule,
checked for every field in one place, so no form hands a NUL or a lone surrogate to a service."""
from flask_babel import gettext
from flask_wtf import FlaskForm

from inventory.input_rules import BAD_TEXT_MESSAGE, bad_text


class Form(FlaskForm):
    """A FlaskForm whose ``validate`` also refuses, on the field, any submitted value holding
    a NUL character or a lone surrogate (the form is shown again with the message)."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            values = [v for v in (field.raw_data or ()) if isinstance(v, str)]
            if any(bad_text(v) for v in values):
                if not isinstance(field.errors, list):
                    field.errors = list(field.errors)
                field.errors.append(gettext(BAD_TEXT_MESSAGE))
                valid = False
        return valid
