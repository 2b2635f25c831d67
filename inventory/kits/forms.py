"""The kit form: code, name, order, active, and one quantity box per active catalogue item
(blank or 0: not in the kit). WTForms checks shape; the service checks the rules."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from inventory.forms import Form
from inventory.kits.services import MAX_KIT_QUANTITY, KitLine


class _KitForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    display_order = IntegerField(_l("Display order"), validators=[InputRequired()])
    active = BooleanField(_l("Active (shown on the handout screen)"), default=True)

    item_fields: list = []

    def lines(self) -> list[KitLine]:
        """The items given a quantity above 0, in catalogue order."""
        return [KitLine(item.code, field.data) for item, field in self.item_fields
                if field.data]


def kit_form(items, **kwargs) -> _KitForm:
    """A kit form with a quantity field (``qty_<item id>``) for each of ``items``."""

    class KitForm(_KitForm):
        pass

    for item in items:
        setattr(KitForm, f"qty_{item.id}", IntegerField(item.name, validators=[
            Optional(), NumberRange(min=0, max=MAX_KIT_QUANTITY)]))
    form = KitForm(**kwargs)
    form.item_fields = [(item, form[f"qty_{item.id}"]) for item in items]
    return form


class KitMoveForm(Form):
    direction = HiddenField(validators=[DataRequired()])


class KitActiveForm(Form):
    active = HiddenField(validators=[DataRequired()])
