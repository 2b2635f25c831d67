"""A user's own account: new password, API tokens."""
from flask_babel import lazy_gettext as _l

from inventory.forms import Form
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from inventory.auth.services import MIN_PASSWORD_LENGTH

EXPIRY_CHOICES = [SelectChoice("", _l("Never")), SelectChoice("30", _l("In 30 days")),
                  SelectChoice("90", _l("In 90 days")), SelectChoice("365", _l("In a year"))]


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    password_confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", _l("Passwords differ."))])


class TokenForm(Form):
    name = StringField(_l("Name (what the token is for)"), validators=[Length(max=80)])
    expires_days = SelectField(_l("Expires"), choices=EXPIRY_CHOICES, default="")

