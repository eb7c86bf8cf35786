"""Core's rows of the authorization matrix (``tests/authz_matrix.py`` collects them).

The core pages and the other API endpoints are listed in the matrix itself."""

from __future__ import annotations

from tests.authz_matrix import Case, Entry, everyone

MATRIX = {
    # The load benchmark's floor (bench/load): "ok" for everyone, through every middleware.
    "core:ping": Entry(methods={"GET": everyone(200)}),
    # The matrix posts an empty form, which is not JSON: everyone who is logged in gets the
    # same 400 (nothing is started); without a login the answer is 401. A JSON body starts
    # the export (test_jobs.py::test_api_access_log_export__starts_a_job_and_returns_202).
    "api:job_access_log_export": Entry(
        methods={"GET": everyone(405), "POST": Case(default=400, anonymous=401)},
    ),
}
