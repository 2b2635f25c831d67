"""JSON API v1: blueprints registered on the flask-smorest Api."""
from flask_smorest import Api


def register_resources(api: Api) -> None:
    import inventory.models  # noqa: F401  (every table known before the spec is built)
