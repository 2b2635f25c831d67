"""Forms of the count pages."""
from wtforms import FieldList, FormField, HiddenField, IntegerField
from wtforms import Form as SubForm
from wtforms.validators import NumberRange, Optional

from inventory.limits import MAX_QUANTITY
from inventory.stock.forms import LinesForm


class CountedLineForm(SubForm):
    line_id = HiddenField()
    counted = IntegerField("Counted", validators=[Optional(), NumberRange(min=0,
                                                                          max=MAX_QUANTITY)])


class CountForm(LinesForm):
    lines = FieldList(FormField(CountedLineForm), max_entries=2000)
