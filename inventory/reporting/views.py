"""The reports page: pick a period and sites, preview the Summary, download .xlsx or CSV zip.

Coordinators, reporters and admins only (staff get 403; anonymous users the login page). Exact
counts for a regulator (``exact_for``): admins only (others get 403), .xlsx only, each use in the
audit log.
"""
import io

from flask import Blueprint, render_template, request, send_file
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate

from inventory import fields as bounded
from inventory.activity.forms import NarrativeForm
from inventory.activity.services import narrative_for
from inventory.auth.permissions import ADMIN, COORDINATOR, REPORT_READERS, require_roles
from inventory.database import begin_write
from inventory.errors import Forbidden, InvalidInput
from inventory.extensions import db
from inventory.input_rules import BAD_TEXT_MESSAGE, bad_text
from inventory.reporting import services
from inventory.reporting.chart import bar_charts
from reports import TEMPLATES
from reports.csvzip import write_csv_zip
from reports.suppression import footnote
from reports.xlsx import write_xlsx

bp = Blueprint("reporting", __name__, url_prefix="/reports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value: str) -> None:
    if bad_text(value):
        raise ValidationError(BAD_TEXT_MESSAGE)


class ReportArgs(Schema):
    """Query string of the reports page and its downloads."""

    period = fields.String(load_default="quarter",
                           validate=validate.OneOf(["quarter", "month", "range"]))
    quarter = fields.String(load_default=None, validate=[validate.Length(max=20), _text])
    month = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
    date_from = bounded.Date(load_default=None, data_key="from")
    date_to = bounded.Date(load_default=None, data_key="to")
    site = fields.List(fields.String(validate=[validate.Length(max=32), _text]),
                       load_default=list)
    # funder, naloxone or a form template's name (the service checks it exists and is valid)
    template = fields.String(load_default="funder", validate=[validate.Length(max=60), _text])
    exact_for = fields.String(load_default=None, validate=[validate.Length(max=200), _text])


@bp.before_request
@require_roles(*REPORT_READERS)
def _report_readers_only():
    return None


def _args() -> dict:
    raw = {k: v for k, v in request.args.items() if k != "site" and v != ""}
    raw["site"] = [s for s in request.args.getlist("site") if s]
    return ReportArgs().load(raw, unknown="exclude")


def _field_messages(exc: ValidationError) -> dict[str, list[str]]:
    """Messages by field; a list field's messages (keyed by index) go to the field itself."""
    return {name: (messages if isinstance(messages, list)
                   else [m for sub in messages.values() for m in sub])
            for name, messages in exc.messages.items()}


def _request(args: dict) -> services.ReportRequest:
    return services.ReportRequest(
        period_kind=args["period"], quarter=args["quarter"], month=args["month"],
        date_from=args["date_from"], date_to=args["date_to"], sites=tuple(args["site"]),
        template=args["template"], exact_for=args["exact_for"])


def _audit_exact(report, output: str) -> None:
    """Record an exact-count report in the audit log, in a write transaction of its own."""
    if report.exact_for:
        begin_write(db.session)
        services.record_exact_use(report, current_user, output)
        db.session.commit()


@bp.route("/")
def index():
    settings = services.settings()
    forms, broken = services.form_templates()
    quarters = [(q.code, q.label) for q in services.recent_quarters(settings)]
    context = {"settings": settings, "quarters": quarters, "sites": services.all_sites(),
               "templates": TEMPLATES, "errors": {}, "report": None, "charts": [],
               "is_admin": current_user.role == ADMIN,
               "forms": forms, "broken_forms": broken,
               "query": request.query_string.decode(errors="replace")}
    try:
        args = _args()
    except ValidationError as exc:
        context.update(errors=_field_messages(exc), args=request.args)
        return render_template("reporting/index.html", **context), 422
    context["args"] = args
    if args["exact_for"] is not None and not context["is_admin"]:
        raise Forbidden("Only an admin may turn suppression off.", field="exact_for")
    if "period" not in request.args:
        args["quarter"] = args["quarter"] or quarters[1][0]  # the last complete quarter
        return render_template("reporting/index.html", **context)
    try:
        report = services.make_report(_request(args), report_settings=settings,
                                      user=current_user)
    except InvalidInput as exc:
        context["errors"] = exc.errors
        return render_template("reporting/index.html", **context), 422
    chart_sheet = next((s for s in report.sheets if s.chart is not None), None)
    narrative = narrative_for(report.period.first_day, report.period.last_day)
    context.update(narrative=narrative, can_edit=current_user.role in (COORDINATOR, ADMIN),
                   narrative_form=NarrativeForm(formdata=None, data={
                       "first_day": report.period.first_day, "last_day": report.period.last_day,
                       "text": narrative.text if narrative else "", "back": context["query"]}))
    context.update(report=report, charts=bar_charts(chart_sheet) if chart_sheet else [],
                   footnote=footnote(settings.suppression_threshold))
    _audit_exact(report, "preview")  # last: the write lock is held only for the audit entry
    return render_template("reporting/index.html", **context)


def _download(kind: str):
    try:
        req = _request(_args())
    except ValidationError as exc:
        return {"errors": exc.messages}, 422
    services.check_exact(req, current_user)  # 403 before anything else for a non-admin
    if req.exact_for and kind != "xlsx":
        raise InvalidInput("Exact counts come as an .xlsx workbook only, marked on every "
                           "printed page.", field="exact_for")
    report = services.make_report(req, user=current_user)
    _audit_exact(report, kind)
    buffer = io.BytesIO()
    if kind == "xlsx":
        write_xlsx(report, buffer)
        mimetype = XLSX
    else:
        write_csv_zip(report, buffer)
        mimetype = "application/zip"
    buffer.seek(0)
    return send_file(buffer, mimetype=mimetype, as_attachment=True,
                     download_name=f"{report.filename_stem}.{kind}")


@bp.route("/download.xlsx")
def download_xlsx():
    return _download("xlsx")


@bp.route("/download.zip")
def download_zip():
    return _download("zip")
