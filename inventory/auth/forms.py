"""Sign-in and first-run setup forms (Flask-WTF: every form carries a CSRF token)."""
from flask_babel import gettext, lazy_gettext as _l
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Regexp

from inventory.forms import Form
from inventory.auth.services import EMAIL_RE, MIN_PASSWORD_LENGTH

VALID_EMAIL = Regexp(EMAIL_RE, message=_l("Enter a valid email address."))


def strip(value):
    return value.strip() if isinstance(value, str) else value


MONTHS = [SelectChoice(str(n), name) for n, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), start=1)]


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class SetupForm(Form):
    program_name = StringField("Program name", validators=[DataRequired(), Length(max=120)])
    timezone = StringField("Timezone", default="America/New_York",
                           validators=[DataRequired(), Length(max=64)])
    fiscal_year_start_month = SelectField("Fiscal year starts in", choices=MONTHS, default="7",
                                          coerce=int)
    suppression_threshold = IntegerField(
        "Suppression threshold", default=11,
        validators=[InputRequired(), NumberRange(min=2, message="Must be at least 2.")])
    email = EmailField("Admin email", filters=[strip],
                       validators=[DataRequired(), Length(max=254), VALID_EMAIL])
    password = PasswordField("Admin password",
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    password_confirm = PasswordField(
        "Password again", validators=[DataRequired(), EqualTo("password", "Passwords differ.")])


def attach_error(form: Form, exc) -> None:
    """Show a service's DomainError next to the field it names (or above the form), in the
    page's language when the message is in the catalogue (a fixed message marked ``N_``)."""
    message = gettext(exc.message)
    field = form._fields.get(exc.field) if exc.field else None
    if field is None:
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]
