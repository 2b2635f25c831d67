"""API v1: sites and items."""
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from inventory.auth.permissions import ALL_ROLES, require_roles, site_scope
from inventory.catalog.models import Item, Site
from inventory.catalog.schemas import CatalogFilterArgs, ItemSchema, SiteSchema
from inventory.extensions import db

blp = Blueprint("catalog", __name__, url_prefix="/api/v1", description="Sites and items")


@blp.route("/sites")
@require_roles(*ALL_ROLES)
@blp.arguments(CatalogFilterArgs(), location="query")
@blp.response(200, SiteSchema(many=True))
def list_sites(args):
    """Sites the caller may see (staff: their assigned sites), by code."""
    stmt = select(Site).order_by(Site.code)
    if not args["include_inactive"]:
        stmt = stmt.where(Site.active.is_(True))
    if (scope := site_scope(current_user)) is not None:
        stmt = stmt.where(Site.id.in_(scope or {-1}))
    return db.session.scalars(stmt).all()


@blp.route("/items")
@require_roles(*ALL_ROLES)
@blp.arguments(CatalogFilterArgs(), location="query")
@blp.response(200, ItemSchema(many=True))
def list_items(args):
    """The catalogue in display order."""
    stmt = select(Item).order_by(Item.display_order, Item.code)
    if not args["include_inactive"]:
        stmt = stmt.where(Item.active.is_(True))
    return db.session.scalars(stmt).all()
