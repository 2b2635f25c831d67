"""Forms of the stock pages (receive, dispose) and what the transfer and count pages share:
line forms in a FieldList, the text rule applied to every nested field, and a service error
shown on the field its dotted path names (``lines.2.quantity``)."""
import uuid

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from wtforms import (BooleanField, DateField, FieldList, FormField, HiddenField, IntegerField,
                     SelectField, StringField, TextAreaField)
from wtforms import Form as SubForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from inventory.auth.permissions import ensure_site_access
from inventory.catalog.models import Item, Site
from inventory.extensions import db
from inventory.forms import Form
from inventory.input_rules import BAD_TEXT_MESSAGE, bad_text
from inventory.limits import MAX_QUANTITY

LINE_ROWS = 6  # empty rows a new receipt or transfer offers; rows left blank are ignored
_units = [Optional(), NumberRange(min=1, max=MAX_QUANTITY)]


def _leaves(field):
    """The plain fields inside a FieldList or FormField (or the field itself)."""
    if isinstance(field, FieldList):
        for entry in field.entries:
            yield from _leaves(entry)
    elif isinstance(field, FormField):
        for sub in field.form:
            yield from _leaves(sub)
    else:
        yield field


class LinesForm(Form):
    """A form with line sub-forms; ``client_id`` is made when the page is shown, so posting
    the same page twice is a replay, not a second record."""

    client_id = HiddenField(default=lambda: str(uuid.uuid4()))

    def validate(self, extra_validators=None) -> bool:
        """Also refuse NUL and lone surrogates in the line fields (the base checks the top
        level only)."""
        valid = super().validate(extra_validators)
        for field in self:
            if not isinstance(field, FieldList):
                continue
            for leaf in _leaves(field):
                if any(bad_text(v) for v in leaf.raw_data or () if isinstance(v, str)):
                    leaf.errors = [*leaf.errors, BAD_TEXT_MESSAGE]
                    valid = False
        return valid

    def client_uuid(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.client_id.data or "")
        except ValueError:
            return uuid.uuid4()  # a tampered id: this post simply makes its own record


def show_error(form, exc, rows: list[int] | None = None) -> None:
    """Show a service's DomainError on the field its dotted path names, else above the form.
    ``rows``: the form row of each line sent (blank rows are not sent), so ``lines.1`` of the
    request is the form's ``lines.<rows[1]>``."""
    parts = (exc.field or "").split(".")
    if rows is not None and len(parts) > 1 and parts[0] == "lines" and parts[1].isdigit() \
            and int(parts[1]) < len(rows):
        parts[1] = str(rows[int(parts[1])])
    target = form
    for part in parts:
        if isinstance(target, FieldList):
            target = target.entries[int(part)] if part.isdigit() and int(part) < len(
                target.entries) else None
        else:
            fields = (target.form if isinstance(target, FormField) else target)._fields \
                if isinstance(target, (FormField, Form)) else {}
            target = fields.get(part)
        if target is None:
            break
    if target is None or isinstance(target, (Form, FieldList, FormField)):
        form.form_errors.append(exc.message)
    else:
        target.errors = [*target.errors, exc.message]


def page_site(code: str) -> Site:
    """The active site ``code`` if the current user may work there; 404 or Forbidden."""
    site = db.session.scalar(select(Site).where(Site.code == code))
    if site is None or not site.active:
        abort(404)
    ensure_site_access(current_user, site)
    return site


def item_choices() -> list[SelectChoice]:
    items = db.session.scalars(select(Item).where(Item.active.is_(True))
                               .order_by(Item.display_order, Item.code))
    return [SelectChoice("", "— choose —")] + [
        SelectChoice(i.code, f"{i.name} ({i.unit}, {i.pack_size} a case)") for i in items]


class ReceiptLineForm(SubForm):
    item = SelectField("Item", validate_choice=False)
    cases = IntegerField("Cases", validators=_units)
    quantity = IntegerField("Units", validators=_units)
    lot = StringField("Lot", validators=[Optional(), Length(max=64)])
    expires_on = DateField("Expires", validators=[Optional()])


class ReceiptForm(LinesForm):
    document_ref = StringField("Delivery note or order number",
                               validators=[Optional(), Length(max=80)])
    for_disposal = BooleanField("Received for disposal (an expired lot: it is disposed of at "
                                "once)")
    lines = FieldList(FormField(ReceiptLineForm), min_entries=LINE_ROWS, max_entries=50)

    def data_for(self, site_code: str, now) -> dict:
        """The receipt for :func:`inventory.stock.services.receive_stock`; ``self.rows`` the
        form row of each line."""
        lines, self.rows = [], []
        for row, entry in enumerate(self.lines.entries):
            line = entry.form
            if not line.item.data:
                continue
            self.rows.append(row)
            lines.append({k: v for k, v in {
                "item": line.item.data, "cases": line.cases.data, "quantity": line.quantity.data,
                "lot": (line.lot.data or "").strip() or None,
                "expires_on": line.expires_on.data}.items() if v is not None})
        return {"client_id": self.client_uuid(), "site": site_code, "occurred_at": now,
                "document_ref": (self.document_ref.data or "").strip() or None,
                "for_disposal": bool(self.for_disposal and self.for_disposal.data),
                "lines": lines}


class DisposalLineForm(SubForm):
    key = HiddenField()
    quantity = IntegerField("Quantity", validators=_units)


class DisposalForm(LinesForm):
    reason = SelectField("Reason", choices=[
        SelectChoice("expired", "Expired"), SelectChoice("damaged", "Damaged"),
        SelectChoice("other", "Other (note required)")])
    note = TextAreaField("Note", validators=[Optional(), Length(max=500)])
    lines = FieldList(FormField(DisposalLineForm), max_entries=500)
