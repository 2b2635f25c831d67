"""URL converters: ``<int:...>`` path segments accept only ids a database column can hold."""
from werkzeug.routing import IntegerConverter

from inventory.input_rules import MAX_DB_INT


class RowIdConverter(IntegerConverter):
    """``<int:id>`` up to MAX_DB_INT: a larger id names no row, so the URL is a 404 (not an
    overflow in the database driver). The OpenAPI document states the maximum."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(map, *args, **kwargs)


def init_app(app, api) -> None:
    """Install the converter for every ``<int:...>`` route; call before routes are added."""
    app.url_map.converters["int"] = RowIdConverter
    api.register_converter(RowIdConverter, _row_id_schema)


def _row_id_schema(converter) -> dict:
    return {"type": "integer", "minimum": 0, "maximum": converter.max}
