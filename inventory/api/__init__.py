"""JSON API v1: blueprints registered on the flask-smorest Api."""
from flask import request
from flask_smorest import Api


def is_api_request() -> bool:
    """Whether this request is for the JSON API (problem+json answers, bearer tokens)."""
    return request.path.startswith("/api/")


def created_or_replayed(result):
    """Commit the request's one create; a replay of a known client_id answers 200, not 201."""
    from inventory.extensions import db

    record, created = result
    db.session.commit()
    return record, 201 if created else 200


def register_resources(api: Api) -> None:
    from inventory.catalog.api import blp as catalog
    from inventory.encounters.api import blp as encounters
    from inventory.stock.api import blp as stock

    for blueprint in (catalog, stock, encounters):
        api.register_blueprint(blueprint)
