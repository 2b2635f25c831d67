"""JSON API v1: blueprints registered on the flask-smorest Api."""
from flask import abort, request
from flask_smorest import Api

from inventory.request_kind import is_api_request


def check_body() -> None:
    """A ``before_request`` hook: refuse an API write whose body is not JSON (415) or is over
    ``MAX_CONTENT_LENGTH`` (413), before anything parses it.

    A declared Content-Length over the limit is refused by Werkzeug already. A chunked body
    declares none, and Werkzeug silently stops reading it at the limit: the parser would get a
    truncated body and answer a misleading "invalid JSON".
    """
    if request.method not in ("POST", "PUT", "PATCH") or not is_api_request():
        return
    length, limit = request.content_length, request.max_content_length
    if length is None:
        data = request.get_data(cache=True)
        if limit and len(data) >= limit:
            abort(413)
        length = len(data)
    if length and not request.is_json:
        abort(415)


def created_or_replayed(result):
    """Commit the request's one create; a replay of a known client_id answers 200, not 201."""
    from inventory.extensions import db

    record, created = result
    db.session.commit()
    return record, 201 if created else 200


def register_resources(api: Api) -> None:
    from inventory.catalog.api import blp as catalog
    from inventory.encounters.api import blp as encounters
    from inventory.kits.api import blp as kits
    from inventory.reorder.api import blp as reorder
    from inventory.stock.api import blp as stock
    from inventory.counts.api import blp as counts  # issue 12: counts and transfers
    from inventory.onsite.api import blp as onsite  # issue 15: services, sharps
    from inventory.survey.api import blp as survey  # issue 15: point-in-time survey
    from inventory.transfers.api import blp as transfers

    for blueprint in (catalog, stock, encounters, kits, transfers, counts, reorder, onsite, survey):
        api.register_blueprint(blueprint)
