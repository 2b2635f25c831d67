"""A user's own account: new password, API tokens."""
from inventory.forms import Form
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from inventory.auth.services import MIN_PASSWORD_LENGTH

EXPIRY_CHOICES = [SelectChoice("", "Never"), SelectChoice("30", "In 30 days"),
                  SelectChoice("90", "In 90 days"), SelectChoice("365", "In a year")]


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password",
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    password_confirm = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("password", "Passwords differ.")])


class TokenForm(Form):
    name = StringField("Name (what the token is for)", validators=[Length(max=80)])
    expires_days = SelectField("Expires", choices=EXPIRY_CHOICES, default="")

