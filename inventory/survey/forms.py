"""Forms: open a point-in-time survey window (admins)."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import DataRequired

from inventory.admin.forms import CheckboxListField
from inventory.forms import Form


class WindowForm(Form):
    first_day = DateField(_l("First day"), validators=[DataRequired()])
    last_day = DateField(_l("Last day"), validators=[DataRequired()])
    sites = CheckboxListField(_l("Sites"), coerce=int)


class CloseForm(Form):
    pass
