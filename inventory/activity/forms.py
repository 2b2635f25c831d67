"""Forms of the activity log. WTForms checks shape; the services check the rules."""
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from inventory.activity.models import (EVENT_KINDS, MAX_DESCRIPTION, MAX_LOCATION, MAX_NARRATIVE,
                                       MAX_SCHEDULE)
from inventory.auth.forms import strip
from inventory.forms import Form
from inventory.input_rules import MAX_DB_INT
from inventory.labels import label

PROGRAM_WIDE = ""


class EventForm(Form):
    kind = SelectField("Type of event", validators=[DataRequired()],
                       choices=[SelectChoice(k, label("activity", k)) for k in EVENT_KINDS])
    held_on = DateField("Date", validators=[InputRequired("Give the date.")])
    site = SelectField("Site", choices=[])
    attendance = IntegerField("Attendance (people present, optional)",
                              validators=[Optional(), NumberRange(0, MAX_DB_INT)])
    description = StringField("What it was (about the program, never about a person)",
                              filters=[strip], validators=[Length(max=MAX_DESCRIPTION)])

    def set_site_choices(self, sites) -> None:
        self.site.choices = [SelectChoice(PROGRAM_WIDE, "Program-wide (no one site)")] + [
            SelectChoice(s.code, f"{s.code} — {s.name}") for s in sites]


class HoursForm(Form):
    site = HiddenField(validators=[DataRequired()])
    schedule = StringField("Hours", filters=[strip], validators=[Length(max=MAX_SCHEDULE)])
    location = StringField("Location", filters=[strip], validators=[Length(max=MAX_LOCATION)])


class NarrativeForm(Form):
    back = HiddenField()  # the reports page's query string, to return to the same preview
    first_day = DateField(validators=[InputRequired()])
    last_day = DateField(validators=[InputRequired()])
    text = TextAreaField("Narrative for this period (about the program, never about a person)",
                         validators=[Length(max=MAX_NARRATIVE)])


class RemoveForm(Form):
    """No fields: the CSRF token of a Remove button."""
