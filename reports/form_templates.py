"""Form templates as data: a JSON file maps a form's fields to the indicators of
:mod:`reports.form_indicators`, and says which period the form covers. A new form needs a new
file, no code.

A template (``<name>.json``; name: lower-case letters, digits and dashes)::

    {"title": "...", "issuer": "...", "period": "year" | "quarter" | "any",
     "sections": [{"title": "...", "fields": [
         {"id": "1a", "label": "Syringes distributed", "indicator": "syringes_distributed"},
         {"id": "1b", "label": "...", "sum": ["syringes_returned", "syringes_returned_by_weight"]}
     ]}]}

``sum`` adds supply figures only (a sum over counts of people could undo suppression). Every
template is validated when it is read: an unknown indicator, a malformed file or a wrong period
raises :class:`TemplateError` naming the template and the field - never a made-up number.
Templates are read from the directories given (the shipped ``reports/forms`` last).
"""
import difflib
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from reports.form_indicators import REGISTRY

SHIPPED = Path(__file__).with_name("forms")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
PERIODS = {"year": 12, "quarter": 3, "any": None}


class TemplateError(ValueError):
    """A template that cannot be used, with the reason."""


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    indicators: tuple[str, ...]
    summed: bool


@dataclass(frozen=True)
class FormTemplate:
    name: str
    title: str
    issuer: str
    period: str
    sections: tuple[tuple[str, tuple[FormField, ...]], ...]


def _text(value, where: str, limit: int = 300) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise TemplateError(f"{where}: must be text of 1-{limit} characters.")
    return value.strip()


def _unknown(name: str, where: str) -> TemplateError:
    close = difflib.get_close_matches(str(name), REGISTRY, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return TemplateError(f"{where}: unknown indicator {name!r}.{hint} The indicators are "
                         "listed by `flask --app wsgi report-indicators`.")


def _field(raw, where: str, seen: set) -> FormField:
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}: a field is an object with id, label and indicator.")
    field_id = _text(raw.get("id"), f"{where}: id", 20)
    where = f"{where.rsplit(',', 1)[0]}, field {field_id}"
    if field_id in seen:
        raise TemplateError(f"{where}: the id is used twice.")
    seen.add(field_id)
    text = _text(raw.get("label"), f"{where}: label")
    if ("indicator" in raw) == ("sum" in raw):
        raise TemplateError(f"{where}: give either indicator or sum.")
    names = [raw["indicator"]] if "indicator" in raw else raw["sum"]
    if not isinstance(names, list) or not names:
        raise TemplateError(f"{where}: sum is a list of indicator names.")
    for name in names:
        if not isinstance(name, str) or name not in REGISTRY:
            raise _unknown(name, where)
        if "sum" in raw and (REGISTRY[name].person or REGISTRY[name].text):
            raise TemplateError(f"{where}: {name!r} cannot be summed (only supply figures can: a "
                                "sum over counts of people could undo suppression).")
    return FormField(field_id, text, tuple(names), "sum" in raw)


def parse_template(name: str, raw) -> FormTemplate:
    """Validate the decoded JSON ``raw`` of template ``name``; TemplateError when it is wrong."""
    where = f"Template {name}"
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}: the file must hold one JSON object.")
    period = raw.get("period")
    if period not in PERIODS:
        raise TemplateError(f"{where}: period must be one of {', '.join(PERIODS)}.")
    sections_raw = raw.get("sections")
    if not isinstance(sections_raw, list) or not sections_raw:
        raise TemplateError(f"{where}: sections must be a non-empty list.")
    seen: set = set()
    sections = []
    for index, section in enumerate(sections_raw, start=1):
        if not isinstance(section, dict) or not isinstance(section.get("fields"), list):
            raise TemplateError(f"{where}, section {index}: needs a title and a list of fields.")
        title = _text(section.get("title"), f"{where}, section {index}: title")
        fields = tuple(_field(f, f"{where}, section {index}, field", seen)
                       for f in section["fields"])
        sections.append((title, fields))
    return FormTemplate(name, _text(raw.get("title"), f"{where}: title"),
                        _text(raw.get("issuer"), f"{where}: issuer"), period, tuple(sections))


def _path(name: str, directories) -> Path:
    if not NAME.match(name or ""):
        raise TemplateError(f"No form template named {name!r}.")
    for directory in [*directories, SHIPPED]:
        path = Path(directory) / f"{name}.json"
        if path.is_file():
            return path
    raise TemplateError(f"No form template named {name!r}.")


def load_template(name: str, directories=()) -> FormTemplate:
    """Read and validate template ``name``; TemplateError when it is missing or wrong."""
    path = _path(name, directories)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"Template {name}: not valid JSON ({exc}).") from None
    return parse_template(name, raw)


def template_names(directories=()) -> list[str]:
    """Every template file's name (valid or not), sorted."""
    names = set()
    for directory in [*directories, SHIPPED]:
        if Path(directory).is_dir():
            names |= {p.stem for p in Path(directory).glob("*.json") if NAME.match(p.stem)}
    return sorted(names)


def check_period(template: FormTemplate, period) -> None:
    """TemplateError unless ``period`` is whole months, as many as the form covers."""
    months = PERIODS[template.period]
    if months is None:
        return
    whole = period.first_day.day == 1 and (period.last_day + timedelta(days=1)).day == 1
    if not whole or len(period.months) != months:
        kind = "a year (12 whole months, e.g. a fiscal year)" if months == 12 else \
            "a quarter (3 whole months)"
        raise TemplateError(f"The {template.name} form covers {kind}; {period.label} does not.")
