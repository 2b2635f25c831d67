"""API v1 resources (encounters)."""
from flask_smorest import Blueprint

blp = Blueprint("encounters", __name__, url_prefix="/api/v1")
