"""JSON API v1: blueprints registered on the flask-smorest Api."""
from flask_smorest import Api


def register_resources(api: Api) -> None:
    from inventory.catalog.api import blp as catalog
    from inventory.encounters.api import blp as encounters
    from inventory.stock.api import blp as stock

    for blueprint in (catalog, stock, encounters):
        api.register_blueprint(blueprint)
