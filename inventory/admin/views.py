"""Admin pages: users, sites, items, program settings and the audit log. Admins only.

Each view parses a form, calls one service, commits once. A service's InvalidInput shows the
form again (422) with the message on the field, and nothing is written.
"""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from inventory.admin import services
from inventory.admin.forms import (ItemForm, PasswordResetForm, SettingsForm, SiteForm,
                                   UserActionForm, UserCreateForm, UserEditForm)
from inventory.audit.services import recent_entries
from inventory.auth import services as users
from inventory.auth.permissions import ADMIN, require_roles
from inventory.input_rules import MAX_DB_INT
from inventory.participants.recipe import parse_recipe
from inventory.pages import save_form
from inventory.settings.services import current_settings, save_settings

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@require_roles(ADMIN)
def _admins_only():
    return None


def _form_page(template: str, form, **context):
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


@bp.route("/")
def index():
    return render_template("admin/index.html")


# --- Users -------------------------------------------------------------------------------------

@bp.route("/users")
def user_list():
    return render_template("admin/users.html", users=users.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
def user_create():
    form = UserCreateForm()
    form.set_site_choices(services.list_sites())
    done = save_form(form, lambda: users.create_user(
        form.email.data, form.role.data, form.sites.data, form.password.data, actor=current_user),
        f"User {form.email.data} created.", url_for("admin.user_list"))
    return done or _form_page("admin/user_form.html", form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = users.get_user(user_id)
    form = UserEditForm(data={"role": user.role, "sites": [s.code for s in user.sites],
                              "active": user.active})
    form.set_site_choices(services.list_sites())
    done = save_form(form, lambda: users.update_user(
        user, form.role.data, form.sites.data, form.active.data, actor=current_user),
        f"User {user.email} updated.", url_for("admin.user_list"))
    return done or _form_page("admin/user_form.html", form, user=user)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def user_password(user_id: int):
    user = users.get_user(user_id)
    form = PasswordResetForm()
    done = save_form(form, lambda: users.set_password(user, form.password.data, actor=current_user,
                                                  require_change=form.require_change.data),
                 f"Password for {user.email} reset; their sessions are ended.",
                 url_for("admin.user_list"))
    return done or _form_page("admin/password_form.html", form, user=user)


@bp.route("/users/<int:user_id>/require-new-password", methods=["POST"])
def user_require_new_password(user_id: int):
    user = users.get_user(user_id)
    done = save_form(UserActionForm(), lambda: users.require_password_change(user, actor=current_user),
                 f"{user.email} must choose a new password at next sign-in.",
                 url_for("admin.user_edit", user_id=user.id))
    return done or redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/end-sessions", methods=["POST"])
def user_end_sessions(user_id: int):
    user = users.get_user(user_id)
    done = save_form(UserActionForm(), lambda: users.end_sessions(user, actor=current_user),
                 f"{user.email} is signed out on every device.",
                 url_for("admin.user_edit", user_id=user.id))
    return done or redirect(url_for("admin.user_edit", user_id=user.id))


# --- Sites -------------------------------------------------------------------------------------

@bp.route("/sites")
def site_list():
    return render_template("admin/sites.html", sites=services.list_sites())


@bp.route("/sites/new", methods=["GET", "POST"])
def site_create():
    form = SiteForm()
    done = save_form(form, lambda: services.create_site(
        form.code.data, form.name.data, form.kind.data, form.active.data, actor=current_user),
        f"Site {form.code.data} created.", url_for("admin.site_list"))
    return done or _form_page("admin/site_form.html", form, site=None)


@bp.route("/sites/<int:site_id>/edit", methods=["GET", "POST"])
def site_edit(site_id: int):
    site = services.get_site(site_id)
    form = SiteForm(obj=site)
    done = save_form(form, lambda: services.update_site(
        site, form.code.data, form.name.data, form.kind.data, form.active.data,
        actor=current_user), f"Site {form.code.data} updated.", url_for("admin.site_list"))
    return done or _form_page("admin/site_form.html", form, site=site)


# --- Items -------------------------------------------------------------------------------------

def _item_data(form: ItemForm) -> dict:
    return {name: form[name].data for name in services.ITEM_FIELDS}


@bp.route("/items")
def item_list():
    return render_template("admin/items.html", items=services.list_items())


@bp.route("/items/new", methods=["GET", "POST"])
def item_create():
    form = ItemForm()
    done = save_form(form, lambda: services.create_item(_item_data(form), actor=current_user),
                 f"Item {form.code.data} created.", url_for("admin.item_list"))
    return done or _form_page("admin/item_form.html", form, item=None)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def item_edit(item_id: int):
    item = services.get_item(item_id)
    form = ItemForm(obj=item)
    done = save_form(form, lambda: services.update_item(item, _item_data(form), actor=current_user),
                 f"Item {form.code.data} updated.", url_for("admin.item_list"))
    return done or _form_page("admin/item_form.html", form, item=item)


# --- Settings and audit ------------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
def settings():
    settings_row = current_settings()
    form = SettingsForm(obj=settings_row)
    if request.method == "GET":
        form.show_recipe([p.id for p in parse_recipe(settings_row.participant_code_recipe)])
    done = save_form(form, lambda: save_settings(
        form.program_name.data, form.timezone.data, form.fiscal_year_start_month.data,
        form.suppression_threshold.data, actor=current_user,
        idle_timeout_minutes=form.idle_timeout_minutes.data,
        participant_code_recipe=form.recipe(),
        syringes_per_pound=form.syringes_per_pound.data),
        "Program settings saved.", url_for("admin.settings"))
    return done or _form_page("admin/settings_form.html", form)


@bp.route("/audit")
def audit_log():
    page = max(request.args.get("page", 1, type=int), 1)
    if page > MAX_DB_INT:
        abort(404)  # no such page, and its offset would overflow the database's integer
    per_page = 100
    entries = recent_entries(limit=per_page + 1, offset=(page - 1) * per_page)
    return render_template("admin/audit.html", entries=entries[:per_page], page=page,
                           has_next=len(entries) > per_page)
