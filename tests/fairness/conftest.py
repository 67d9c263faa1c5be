"""Fixtures for the fairness report: the dashboard's job, pool and run, and an API client per org."""

from tests.dashboard.conftest import (  # noqa: F401 - shared dashboard fixtures
    finished_run,
    job,
    make_user,
    other_recruiter,
    pool,
    rclient,
    recruiter,
    run_match_now,
    sclient,
    seeker,
)
from tests.ops.conftest import api_client_for  # noqa: F401
