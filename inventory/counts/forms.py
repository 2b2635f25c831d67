"""Forms of the count pages."""
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional

from inventory.limits import MAX_QUANTITY
from inventory.stock.forms import LineForm, LinesForm


class CountedLineForm(LineForm):
    line_id = HiddenField()
    counted = IntegerField(_l("Counted"), validators=[Optional(), NumberRange(min=0,
                                                                          max=MAX_QUANTITY)])


class CountForm(LinesForm):
    lines = FieldList(FormField(CountedLineForm), max_entries=2000)
