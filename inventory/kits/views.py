"""Admin pages for kits: list, create, edit, move up or down, show or hide. Admins only.

Each view parses a form, calls one service, commits once; a service's InvalidInput shows the
form again (422) with the message, and nothing is written.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from inventory.auth.permissions import ADMIN, require_roles
from inventory.catalog.models import Item
from inventory.extensions import db
from inventory.kits import services
from inventory.kits.forms import KitActiveForm, KitMoveForm, kit_form
from inventory.pages import save_form

bp = Blueprint("kits_admin", __name__, url_prefix="/admin/kits")


@bp.before_request
@require_roles(ADMIN)
def _admins_only():
    return None


def _catalogue(kit=None) -> list[Item]:
    """Active items in display order, plus any inactive item the kit still holds."""
    held = {line.item_id for line in kit.items} if kit else set()
    items = db.session.scalars(select(Item).order_by(Item.display_order, Item.code))
    return [i for i in items if i.active or i.id in held]


def _shown(data: dict) -> dict | None:
    """Initial values for a form shown first; a posted form holds only what was posted (a
    quantity box left out means the item is not in the kit, not "keep the old quantity")."""
    return data if request.method == "GET" else None


def _form_page(form, kit):
    status = 422 if request.method == "POST" else 200
    return render_template("kits/kit_form.html", form=form, kit=kit,
                           max_quantity=services.MAX_KIT_QUANTITY), status


@bp.route("")
def kit_list():
    return render_template("kits/kits.html", kits=services.list_kits(),
                           move_form=KitMoveForm(), active_form=KitActiveForm())


@bp.route("/new", methods=["GET", "POST"])
def kit_create():
    form = kit_form(_catalogue(), data=_shown({"display_order": services.next_display_order(),
                                               "active": True}))
    done = save_form(form, lambda: services.create_kit(
        form.code.data, form.name.data, form.lines(), form.display_order.data,
        form.active.data, actor=current_user), _("Kit %(code)s created.", code=form.code.data),
        url_for("kits_admin.kit_list"))
    return done or _form_page(form, None)


@bp.route("/<int:kit_id>/edit", methods=["GET", "POST"])
def kit_edit(kit_id: int):
    kit = services.get_kit(kit_id)
    data = {"code": kit.code, "name": kit.name, "display_order": kit.display_order,
            "active": kit.active}
    data.update({f"qty_{line.item_id}": line.quantity for line in kit.items})
    form = kit_form(_catalogue(kit), data=_shown(data))
    done = save_form(form, lambda: services.update_kit(
        kit, form.code.data, form.name.data, form.lines(), form.display_order.data,
        form.active.data, actor=current_user), _("Kit %(code)s updated.", code=form.code.data),
        url_for("kits_admin.kit_list"))
    return done or _form_page(form, kit)


def _button(form, action, message: str):
    """A list-page button: a malformed post (not typed by anyone) is a 400."""
    if not form.validate_on_submit():
        abort(400)
    action()
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("kits_admin.kit_list"))


@bp.route("/<int:kit_id>/move", methods=["POST"])
def kit_move(kit_id: int):
    kit = services.get_kit(kit_id)
    form = KitMoveForm()
    step = {"up": -1, "down": 1}.get(form.direction.data)
    if step is None:
        abort(400)
    return _button(form, lambda: services.move_kit(kit, step, actor=current_user),
                   _("Kit %(code)s moved.", code=kit.code))


@bp.route("/<int:kit_id>/active", methods=["POST"])
def kit_active(kit_id: int):
    kit = services.get_kit(kit_id)
    form = KitActiveForm()
    if form.active.data not in ("0", "1"):
        abort(400)
    active = form.active.data == "1"
    message = (_("Kit %(code)s is shown on the handout screen.", code=kit.code) if active
               else _("Kit %(code)s is hidden from the handout screen.", code=kit.code))
    return _button(form, lambda: services.set_active(kit, active, actor=current_user), message)
