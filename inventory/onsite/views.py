"""Pages: the on-site services list (admins; audited) and used-sharps disposal (site staff,
coordinators, admins: record and list at their sites). Each view parses, calls one service,
commits once; a service's InvalidInput shows the form again (422) with the message."""
import uuid

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inventory.auth.permissions import ADMIN, WRITERS, require_roles
from inventory.handout.services import handout_sites
from inventory.onsite import services
from inventory.onsite.forms import DisposalForm, ServiceForm
from inventory.pages import save_form
from inventory.settings.services import local_today

bp = Blueprint("onsite_pages", __name__)


@bp.route("/admin/services")
@require_roles(ADMIN)
def service_list():
    return render_template("onsite/services.html", services=services.list_services())


@bp.route("/admin/services/new", methods=["GET", "POST"])
@require_roles(ADMIN)
def service_create():
    form = ServiceForm(data={"display_order": (len(services.list_services()) + 1) * 10,
                             "active": True} if request.method == "GET" else None)
    done = save_form(form, lambda: services.create_service(
        form.code.data, form.name.data, form.display_order.data, form.active.data,
        actor=current_user), _("Service %(code)s created.", code=form.code.data),
        url_for("onsite_pages.service_list"))
    return done or (render_template("onsite/service_form.html", form=form, service=None),
                    422 if request.method == "POST" else 200)


@bp.route("/admin/services/<int:service_id>/edit", methods=["GET", "POST"])
@require_roles(ADMIN)
def service_edit(service_id: int):
    service = services.get_service(service_id)
    form = ServiceForm(obj=service)
    form.code.data = service.code  # the code stays: encounters store it
    done = save_form(form, lambda: services.update_service(
        service, form.name.data, form.display_order.data, form.active.data, actor=current_user),
        _("Service %(code)s updated.", code=service.code), url_for("onsite_pages.service_list"))
    return done or (render_template("onsite/service_form.html", form=form, service=service),
                    422 if request.method == "POST" else 200)


@bp.route("/sharps", methods=["GET", "POST"])
@require_roles(*WRITERS)
def sharps():
    """Record used sharps sent for destruction, and the latest records at the user's sites."""
    sites = handout_sites(current_user)
    form = DisposalForm(data={"disposed_on": local_today(), "containers": 0}
                        if request.method == "GET" else None)
    form.site.choices = [(s.code, f"{s.code} · {s.name}") for s in sites]
    done = save_form(form, lambda: services.record_disposal(current_user, {
        "client_id": uuid.uuid4(), "site": form.site.data, "disposed_on": form.disposed_on.data,
        "containers": form.containers.data or 0, "weight_lb": form.weight_lb.data,
        "reference": form.reference.data}), _("Sharps disposal recorded."),
        url_for("onsite_pages.sharps"))
    if done:
        return done
    return render_template("onsite/sharps.html", form=form,
                           disposals=services.list_disposals(current_user)), \
        422 if request.method == "POST" else 200
