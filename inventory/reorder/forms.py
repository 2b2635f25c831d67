"""Forms of the reorder pages (CSRF and the text rule come from inventory.forms.Form)."""
from wtforms import DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from inventory.forms import Form


class PolicyForm(Form):
    item = SelectField("Item", validators=[DataRequired()])
    site = SelectField("Site (leave empty for every site)", validators=[Optional()])
    min_months = DecimalField("Minimum months of stock", places=2,
                              validators=[InputRequired(), NumberRange(min=0, max=60)])
    max_months = DecimalField("Maximum months of stock", places=2,
                              validators=[InputRequired(), NumberRange(min=0, max=60)])


class ActionForm(Form):
    """A state change button: nothing but the CSRF token."""


class ReceiveForm(Form):
    document_ref = StringField("Delivery note or invoice number", validators=[Optional()])
