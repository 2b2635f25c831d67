"""Admin forms. WTForms checks shape; the services check the rules and name the field."""
from wtforms import (BooleanField, EmailField, IntegerField, PasswordField, SelectField,
                     SelectMultipleField, StringField, widgets)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from inventory.forms import Form
from inventory.auth.forms import MONTHS, VALID_EMAIL, strip
from inventory.auth.models import ROLES
from inventory.auth.services import MIN_PASSWORD_LENGTH
from inventory.catalog.models import ITEM_CATEGORIES, SITE_KINDS
from inventory.participants.recipe import MAX_PARTS, PROMPTS


class CheckboxListField(SelectMultipleField):
    """Several choices shown as a list of big checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(values):
    return [SelectChoice(v, v.replace("_", " ")) for v in values]


class _UserAccessForm(Form):
    role = SelectField("Role", choices=_choices(ROLES), validators=[DataRequired()])
    sites = CheckboxListField("Sites (staff see and write only these)", choices=[])

    def set_site_choices(self, sites) -> None:
        self.sites.choices = [SelectChoice(s.code, f"{s.code} — {s.name}") for s in sites]


class UserCreateForm(_UserAccessForm):
    email = EmailField("Email", filters=[strip],
                       validators=[DataRequired(), Length(max=254), VALID_EMAIL])
    password = PasswordField("Password",
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    password_confirm = PasswordField(
        "Password again", validators=[DataRequired(), EqualTo("password", "Passwords differ.")])


class UserEditForm(_UserAccessForm):
    active = BooleanField("Active (may sign in)")


class PasswordResetForm(Form):
    password = PasswordField("New password",
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    password_confirm = PasswordField(
        "Password again", validators=[DataRequired(), EqualTo("password", "Passwords differ.")])
    require_change = BooleanField("The user must choose a new password at next sign-in",
                                  default=True)


class UserActionForm(Form):
    """No fields: the CSRF token of a button (require a new password, sign out everywhere)."""


class SiteForm(Form):
    code = StringField("Code", validators=[DataRequired(), Length(max=32)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField("Kind", choices=_choices(SITE_KINDS))
    active = BooleanField("Active", default=True)


class ItemForm(Form):
    code = StringField("Code", validators=[DataRequired(), Length(max=40)])
    name = StringField("Name", validators=[DataRequired(), Length(max=160)])
    category = SelectField("Category", choices=_choices(ITEM_CATEGORIES))
    unit = StringField("Unit", validators=[DataRequired(), Length(max=20)])
    pack_size = IntegerField("Pack size (units per case)", default=1,
                             validators=[InputRequired(), NumberRange(min=1)])
    doses_per_unit = IntegerField("Doses per unit", default=1,
                                  validators=[InputRequired(), NumberRange(min=1)])
    tracks_expiry = BooleanField("Tracks lot expiry")
    display_order = IntegerField("Display order", default=0, validators=[InputRequired()])
    active = BooleanField("Active", default=True)


class SettingsForm(Form):
    program_name = StringField("Program name", validators=[DataRequired(), Length(max=120)])
    timezone = StringField("Timezone", validators=[DataRequired(), Length(max=64)])
    fiscal_year_start_month = SelectField("Fiscal year starts in", choices=MONTHS, coerce=int)
    suppression_threshold = IntegerField(
        "Suppression threshold (counts below it are hidden)",
        validators=[InputRequired(), NumberRange(min=2, message="Must be at least 2.")])
    idle_timeout_minutes = IntegerField(
        "Idle sign-out (minutes)",
        validators=[InputRequired(), NumberRange(min=1, max=720, message="From 1 to 720.")])
    # Left out of a post: the stored factor stays (forms saved before it existed).
    syringes_per_pound = IntegerField(
        "Syringes per pound (returns weighed)",
        validators=[Optional(), NumberRange(min=1, max=10000, message="From 1 to 10000.")])

    def recipe_fields(self) -> list:
        """The participant code recipe's prompt fields, in order."""
        return [self[f"recipe_{n}"] for n in range(1, MAX_PARTS + 1)]

    def recipe(self) -> list[str] | None:
        """The chosen prompts in order; None when the post held no recipe field (keep it)."""
        fields = self.recipe_fields()
        if not any(f.raw_data for f in fields):
            return None
        return [f.data for f in fields if f.data]

    def show_recipe(self, parts) -> None:
        """Fill the prompt fields from a stored recipe (a GET shows the current one)."""
        for field, part in zip(self.recipe_fields(), [*parts, *[""] * MAX_PARTS]):
            field.data = part


# One select per place in the participant code recipe; "—" leaves the place empty.
_PROMPT_CHOICES = [SelectChoice("", "—")] + [SelectChoice(p.id, p.label) for p in PROMPTS.values()]
for _n in range(1, MAX_PARTS + 1):
    setattr(SettingsForm, f"recipe_{_n}", SelectField(f"Part {_n}", choices=_PROMPT_CHOICES,
                                                      default=""))
