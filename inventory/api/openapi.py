"""What the OpenAPI document says about errors: every one is RFC 9457 problem+json.

flask-smorest documents its own error shape and only the statuses its decorators know (422 for
arguments, a default). :class:`ProblemApi` documents the problem shape instead, and
:class:`ProblemResponses` adds the statuses every operation of API v1 can answer.
"""
from http import HTTPStatus

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields, validate

from inventory.api.problems import PROBLEM_MIMETYPE
from inventory.input_rules import MAX_DB_INT

# What flask-smorest really sends: the pagination metadata as a JSON text in one header.
PAGINATION_HEADER = {
    "description": "Pagination metadata, a JSON object serialised as text: total, total_pages, "
                   "first_page, last_page, page, previous_page, next_page (integers; the page "
                   "entries only when they exist).",
    "schema": {"type": "string",
               "example": '{"total": 25, "total_pages": 3, "first_page": 1, "last_page": 3, '
                          '"page": 2, "previous_page": 1, "next_page": 3}'},
}


class ProblemSchema(Schema):
    """An error answer (RFC 9457); ``errors`` names the offending fields."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Unprocessable Entity"})
    status = fields.Integer(metadata={"example": 422})
    detail = fields.String(metadata={"example": "The request has invalid fields."})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": "Messages by input field; nested fields as dotted paths "
                                 "(items.0.quantity).",
                  "example": {"items.0.quantity": ["Must be greater than or equal to 1."]}})


class ProblemResponses(BasePlugin):
    """Adds to each operation the problem+json answers it can give beyond its decorators':
    401 and 403 (every route needs a role), 404 (routes with an id), and for writes 400
    (malformed JSON), 409 (client_id reused with another body, or a state already changed),
    413 (body over the size limit), 415 (a body that is not JSON) and 503 (database busy,
    retry)."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            codes = [401, 403]
            if "{" in (path or ""):
                codes.append(404)
            if method == "post":
                codes += [400, 409, 413, 415, 503]
            responses = operation.setdefault("responses", {})
            for code in codes:
                if code not in responses and str(code) not in responses:
                    responses[str(code)] = HTTPStatus(code).name


class ProblemApi(Api):
    """flask-smorest without its own error handler (ours answers in problem+json), documenting
    the problem+json shape for every error status."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, *, spec_kwargs=None, config_prefix=""):
        spec_kwargs = {**(spec_kwargs or {})}
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()),
                                        ProblemResponses()]
        super().__init__(app, spec_kwargs=spec_kwargs, config_prefix=config_prefix)

    def _register_error_handlers(self):
        pass

    def _register_pagination_header(self):
        self.spec.components.header("PAGINATION", PAGINATION_HEADER, lazy=True)

    def register_blueprint(self, blp, **options):
        """Register ``blp``, its paginated views taking a ``page`` of at most MAX_DB_INT (a 422
        naming ``page`` beyond, documented as the maximum): the offset it implies must fit the
        database's integer."""
        for endpoint in blp._docs.values():
            for doc in endpoint.values():
                if not isinstance(doc, dict):
                    continue  # the route's own "parameters" entry
                schema = doc.get("pagination", {}).get("parameters", {}).get("schema")
                if schema is not None:
                    # The same class flask-smorest parses the query with, so one bound does both.
                    page = schema._declared_fields["page"]
                    if not any(getattr(v, "max", None) == MAX_DB_INT for v in page.validators):
                        page.validators.append(validate.Range(max=MAX_DB_INT))
        super().register_blueprint(blp, **options)

    def _register_responses(self):
        """One lazily registered response per HTTP status (named as ``HTTPStatus``), and
        ``DEFAULT_ERROR``; errors carry a problem+json body."""
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)
