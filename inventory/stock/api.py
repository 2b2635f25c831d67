"""API v1 resources (stock)."""
from flask_smorest import Blueprint

blp = Blueprint("stock", __name__, url_prefix="/api/v1")
