"""Resolve a report request (period and sites) and build the report.

Errors: :class:`inventory.errors.InvalidInput` naming the field (``quarter``, ``month``,
``date_from``, ``date_to``, ``sites``, ``template``, ``exact_for``); :class:`Forbidden` when
someone other than an active admin asks for exact counts.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

import reports
from inventory.catalog.models import Site
from inventory.database import read_only_transactions
from inventory.audit.services import record
from inventory.auth.permissions import ADMIN
from inventory.errors import Forbidden, InvalidInput
from inventory.extensions import db
from inventory.input_rules import DATE_MESSAGE, date_in_range
from reports.exact import RecipientError, clean_recipient
from reports.form_fill import fill_form
from reports.form_templates import (TemplateError, check_period, load_template,
                                    template_names)
from reports.model import Report, ReportSettings
from reports.periods import (Period, PeriodError, calendar_month, date_range, parse_quarter,
                             quarter_containing)

MAX_RANGE_DAYS = 3 * 366


@dataclass
class ReportRequest:
    period_kind: str = "quarter"      # quarter, month or range
    quarter: str | None = None        # FY2027Q1
    month: str | None = None          # 2026-07
    date_from: date | None = None
    date_to: date | None = None
    sites: tuple[str, ...] = ()       # site codes; empty = all
    template: str = "funder"
    exact_for: str | None = None      # regulator's name: exact counts (admins only)


def settings() -> ReportSettings:
    return reports.load_settings(db.session.connection())


def local_today(report_settings: ReportSettings) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(report_settings.timezone)).date()


def recent_quarters(report_settings: ReportSettings, count: int = 8) -> list[Period]:
    """The current fiscal quarter and the ones before it, newest first."""
    start, tz = report_settings.fiscal_year_start_month, report_settings.timezone
    quarters, day = [], local_today(report_settings)
    for _ in range(count):
        quarter = quarter_containing(day, start, tz)
        quarters.append(quarter)
        day = quarter.first_day - timedelta(days=1)
    return quarters


def resolve_period(req: ReportRequest, report_settings: ReportSettings) -> Period:
    tz, start = report_settings.timezone, report_settings.fiscal_year_start_month
    try:
        if req.period_kind == "quarter":
            if not req.quarter:
                raise InvalidInput("Choose a quarter.", field="quarter")
            return _within_bounds(parse_quarter(req.quarter, start, tz))
        if req.period_kind == "month":
            try:
                year, month = (int(p) for p in (req.month or "").split("-"))
            except ValueError:
                raise InvalidInput("Give the month as YYYY-MM.", field="month") from None
            return _within_bounds(calendar_month(year, month, tz))
        if req.date_from is None or req.date_to is None:
            raise InvalidInput("Give both the first and the last day.", field="date_from")
        if (req.date_to - req.date_from).days > MAX_RANGE_DAYS:
            raise InvalidInput("A date range may span at most three years.", field="date_to")
        return _within_bounds(date_range(req.date_from, req.date_to, tz))
    except (PeriodError, ValueError, OverflowError) as exc:
        # Beyond Python's calendar (year 0 or 10000 and the like) as well as malformed input.
        message = str(exc) if isinstance(exc, PeriodError) else DATE_MESSAGE
        field = {"quarter": "quarter", "month": "month"}.get(req.period_kind, "date_to")
        raise InvalidInput(message, field=field) from None


def _within_bounds(period: Period) -> Period:
    """``period``, or PeriodError when it leaves the calendar bounds of input_rules."""
    if not (date_in_range(period.first_day) and date_in_range(period.last_day)):
        raise PeriodError(DATE_MESSAGE)
    return period


def resolve_sites(codes) -> tuple[list[int] | None, list[str] | None]:
    """Site ids and codes for the filter, or (None, None) for every site."""
    codes = sorted({c.strip() for c in codes if c and c.strip()})
    if not codes:
        return None, None
    found = db.session.execute(select(Site.id, Site.code).where(Site.code.in_(codes))).all()
    missing = sorted(set(codes) - {code for _, code in found})
    if missing:
        raise InvalidInput(f"Unknown site code(s): {', '.join(missing)}.", field="sites")
    return [site_id for site_id, _ in found], codes


def check_exact(req: ReportRequest, user) -> str | None:
    """The cleaned recipient of an exact-count request (None for a suppressed one).

    Forbidden unless ``user`` is an active admin; InvalidInput for an unprintable name.
    """
    if req.exact_for is None:
        return None
    if user is None or getattr(user, "role", None) != ADMIN or not getattr(user, "active", False):
        raise Forbidden("Only an admin may turn suppression off.", field="exact_for")
    try:
        return clean_recipient(req.exact_for)
    except RecipientError as exc:
        raise InvalidInput(str(exc), field="exact_for") from None


def record_exact_use(report: Report, user, output: str) -> None:
    """Audit one exact-count workbook (flushed; the caller commits)."""
    record("exact_counts", "report", report.template, {
        "recipient": report.exact_for, "period": report.period.label,
        "first_day": report.period.first_day.isoformat(),
        "last_day": report.period.last_day.isoformat(),
        "sites": report.site_codes or "all", "output": output}, user=user)


def make_report(req: ReportRequest, progress=None,
                report_settings: ReportSettings | None = None, user=None) -> Report:
    """Build the requested report from the database as it stands now (read-only).

    ``report_settings`` are read from the database unless given. An exact-count request needs
    ``user`` to be an admin (see :func:`check_exact`).
    """
    form = None if req.template in reports.TEMPLATES else _form(req.template)
    exact_for = check_exact(req, user)
    report_settings = report_settings or settings()
    period = resolve_period(req, report_settings)
    site_ids, site_codes = resolve_sites(req.sites)
    try:
        if form is not None:
            check_period(form, period)  # before the work of building the workbook
    except TemplateError as exc:
        raise InvalidInput(str(exc), field="template") from None
    report = reports.build_report(db.session.connection(), "funder" if form else req.template,
                                  period, site_ids, site_codes, settings=report_settings,
                                  progress=progress, exact_for=exact_for)
    return report if form is None else fill_form(form, report, _service_names())


def form_directories() -> list[Path]:
    """Where form templates are read besides the shipped ones: the instance's report-forms."""
    return [Path(current_app.instance_path) / "report-forms"]


def _form(name: str):
    try:
        return load_template(name, form_directories())
    except TemplateError as exc:
        raise InvalidInput(str(exc), field="template") from None


def form_templates() -> tuple[dict[str, str], dict[str, str]]:
    """Valid form templates (name -> title) and the broken ones (name -> why), for the page."""
    valid, broken = {}, {}
    for name in template_names(form_directories()):
        try:
            valid[name] = load_template(name, form_directories()).title
        except TemplateError as exc:
            broken[name] = str(exc)
    return valid, broken


def _service_names() -> dict[str, str]:
    from inventory.onsite.models import OnsiteService

    return dict(db.session.execute(select(OnsiteService.code, OnsiteService.name)).all())


def refresh_ledger_months() -> dict:
    """Bring the report ledger month cache up to date, in its own transaction."""
    from reports import ledger_months

    with read_only_transactions():
        timezone = settings().timezone
        db.session.rollback()  # the refresh writes on a connection of its own
    return ledger_months.refresh(db.engine, timezone)


def all_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).order_by(Site.code)))
