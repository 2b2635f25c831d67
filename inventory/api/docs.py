"""The API reference page: the OpenAPI document rendered by the vendored Swagger UI
(static/vendor/swagger-ui, see VENDORED.md there). Public, as the document itself is."""
from flask import Blueprint, render_template, url_for

bp = Blueprint("api_docs", __name__)


@bp.route("/api/v1/docs")
def reference():
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
