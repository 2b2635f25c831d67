"""What the OpenAPI document says about errors: every one is RFC 9457 problem+json.

flask-smorest documents its own error shape and only the statuses its decorators know (422 for
arguments, a default). :class:`ProblemApi` documents the problem shape instead, and
:class:`ProblemResponses` adds the statuses every operation of API v1 can answer.
"""
from http import HTTPStatus

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

from inventory.api.problems import PROBLEM_MIMETYPE


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
