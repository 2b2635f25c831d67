"""Forms: an on-site service (admins) and a sharps disposal (site staff and up)."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from inventory.forms import Form
from inventory.onsite.services import MAX_CONTAINERS, MAX_WEIGHT_LB


class ServiceForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    display_order = IntegerField(_l("Display order"), validators=[InputRequired()])
    active = BooleanField(_l("Active (shown on the handout screen)"), default=True)


class DisposalForm(Form):
    site = SelectField(_l("Site"), validators=[DataRequired()])
    disposed_on = DateField(_l("Date sent for destruction"), validators=[DataRequired()])
    containers = IntegerField(_l("Sharps containers"), default=0, validators=[
        Optional(), NumberRange(min=0, max=MAX_CONTAINERS)])
    weight_lb = DecimalField(_l("Weight (lb)"), places=2, validators=[
        Optional(), NumberRange(min=0, max=MAX_WEIGHT_LB)])
    reference = StringField(_l("Reference (manifest or pickup number)"),
                            validators=[Optional(), Length(max=80)])
