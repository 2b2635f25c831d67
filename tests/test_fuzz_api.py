"""Fuzzing the API from its own OpenAPI document (issue 14, point 8): schemathesis generates valid
and invalid requests for every operation in /api/v1/openapi.json and sends them with a bearer
token of each role. No answer may be a 5xx, every 4xx is application/problem+json, answers match
the documented statuses, headers and schemas, and ``check-ledger`` is clean afterwards.

Part of the normal suite, on SQLite and (with TEST_DATABASE_URL) PostgreSQL, bounded by
``FUZZ_EXAMPLES`` examples per operation, role and mode (default 10: 800 requests, under a minute
on SQLite); derandomized, so a run is repeatable. ``FUZZ_EXAMPLES=500 pytest
tests/test_fuzz_api.py -s`` fuzzes longer and prints the figures (also written to
``artifacts/fuzz/``).
"""
import json
import os
import threading
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_headers_conformance, response_schema_conformance,
                                 status_code_conformance)

from tests import factories
from tests.api_helpers import PROBLEM, bearer, receipt_body, receipt_line
from tests.browser.conftest import artifact_path

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
ROLES = ("staff", "coordinator", "reporter", "admin")
SITE = "FZA"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


def _fuzz(app, headers_by_role: dict) -> dict:
    """Run every operation × role × mode; returns the figures. Raises AssertionError on the
    first failing answer (the case is in the message)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses, cases = Counter(), Counter()

    for role, headers in headers_by_role.items():
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                          phases=[Phase.explicit, Phase.generate],
                          suppress_health_check=list(HealthCheck))
                @given(case=operation.as_strategy(generation_mode=mode))
                def run(case):
                    response = case.call(headers=headers)
                    statuses[response.status_code] += 1
                    cases[operation.label] += 1
                    where = f"{role} {mode.value} {case.method} {case.formatted_path}"
                    assert response.status_code < 500, (where, case.body, case.query,
                                                        response.text[:500])
                    if response.status_code >= 400:
                        content_type = response.headers.get("content-type", [""])
                        content_type = (content_type[0] if isinstance(content_type, list)
                                        else content_type)
                        assert content_type.startswith(PROBLEM), (where, content_type)
                    if mode is GenerationMode.POSITIVE:
                        case.validate_response(response, checks=CHECKS)

                run()
    return {"operations": len(operations), "roles": len(headers_by_role),
            "cases": sum(cases.values()), "statuses": dict(sorted(statuses.items())),
            "examples_setting": EXAMPLES}


def _in_own_thread(work):
    """Run ``work()`` in a thread (no app context there: each request gets its own, as under a
    real server) and return its result or raise its exception; no time limit but the run's."""
    outcome = {}

    def target():
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="fuzz")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_fuzzing_the_openapi_document_finds_no_server_error(app, db, client, database_url):
    factories.make_site(SITE)
    db.session.commit()
    headers_by_role = {role: bearer(role, sites=[SITE] if role == "staff" else ())
                       for role in ROLES}
    # Some stock, so that writes and voids the fuzzer gets right move real balances.
    response = client.post("/api/v1/receipts", headers=headers_by_role["coordinator"],
                           json=receipt_body(SITE, [receipt_line("SYR-1ML-28G", 1000)]))
    assert response.status_code == 201, response.get_json()
    db.session.commit()

    started = time.perf_counter()
    figures = _in_own_thread(lambda: _fuzz(app, headers_by_role))
    figures["seconds"] = round(time.perf_counter() - started, 1)
    figures["database"] = db.engine.dialect.name

    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["check-ledger"])
    assert result.exit_code == 0, result.output
    figures["check_ledger"] = result.output.strip().splitlines()[-1] if result.output else ""
    artifact_path("fuzz", f"{figures['database']}.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures))
    assert figures["cases"] >= figures["operations"] * len(ROLES) * 2
