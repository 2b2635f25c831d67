"""Forms of the transfer pages: ship, receive (or close), filter the list."""
from wtforms import (BooleanField, FieldList, FormField, HiddenField, IntegerField, SelectField,
                     StringField)
from wtforms import Form as SubForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from inventory.forms import Form
from inventory.limits import MAX_QUANTITY
from inventory.stock.forms import LINE_ROWS, LinesForm
from inventory.transfers.models import TRANSFER_STATUSES

_units = [Optional(), NumberRange(min=1, max=MAX_QUANTITY)]


class ShipLineForm(SubForm):
    item = SelectField("Item", validate_choice=False)
    lot = StringField("Lot (empty: earliest expiry first)", validators=[Optional(), Length(max=64)])
    quantity = IntegerField("Units", validators=_units)


class TransferForm(LinesForm):
    from_site = SelectField("From site", validators=[InputRequired()], validate_choice=False)
    to_site = SelectField("To site", validators=[InputRequired()], validate_choice=False)
    document_ref = StringField("Reference (optional)", validators=[Optional(), Length(max=80)])
    lines = FieldList(FormField(ShipLineForm), min_entries=LINE_ROWS, max_entries=50)

    def data_for(self, now) -> dict:
        """The transfer for :func:`inventory.transfers.services.create_transfer`;
        ``self.rows`` the form row of each line."""
        lines, self.rows = [], []
        for row, entry in enumerate(self.lines.entries):
            line = entry.form
            if not line.item.data:
                continue
            self.rows.append(row)
            lines.append({"item": line.item.data, "lot": (line.lot.data or "").strip() or None,
                          "quantity": line.quantity.data})
        return {"client_id": self.client_uuid(), "from_site": self.from_site.data,
                "to_site": self.to_site.data, "occurred_at": now, "lines": lines,
                "document_ref": (self.document_ref.data or "").strip() or None}


class ArrivedLineForm(SubForm):
    line_id = HiddenField()
    quantity = IntegerField("Arrived", validators=[Optional(), NumberRange(min=0,
                                                                           max=MAX_QUANTITY)])


class ArrivalForm(LinesForm):
    lines = FieldList(FormField(ArrivedLineForm), max_entries=500)
    close = BooleanField("Close the transfer: nothing more will arrive (the rest is written off)")
    shortfall_reason = StringField("Why the rest never arrived",
                                   validators=[Optional(), Length(max=200)])


class TransferFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter: nothing is written

    status = SelectField("Status", validators=[Optional()], choices=[SelectChoice("", "Any")] + [
        SelectChoice(s, s.replace("_", " ").capitalize()) for s in TRANSFER_STATUSES])
    site = SelectField("Site (either end)", validators=[Optional()], validate_choice=False)
