"""One page-size rule for numbered pages (the job list) and cursor pages (the shortlist)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_candidate, make_job

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(api, org, django_capture_on_commit_callbacks):
    """The job list and a finished run's shortlist, each with two rows."""
    job = make_job(org, ["SQL"], job_id="one")
    make_job(org, ["SQL"], job_id="two")
    make_candidate(org, cid="a", skills=["SQL"])
    make_candidate(org, cid="b", skills=["SQL"])
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/jobs/{job.pk}/match-runs/").status_code == 202
    return ["/api/v1/jobs/", f"/api/v1/jobs/{job.pk}/shortlist/"]


@pytest.mark.parametrize("size", ["0", "501", "-1", "two", "1.5", "²"])
def test_a_page_size_outside_1_to_500_is_a_400_on_both_kinds_of_page(api, urls, size):
    for url in urls:
        problem = assert_problem(api.get(url, {"page_size": size}), 400)
        assert "page_size" in problem["errors"], url


def test_page_size_sets_the_rows_per_page_on_both_kinds_of_page(api, urls):
    for url in urls:
        assert len(api.get(url, {"page_size": 1}).json()["results"]) == 1, url
        assert len(api.get(url, {"page_size": 500}).json()["results"]) == 2, url
        assert len(api.get(url, {"page_size": ""}).json()["results"]) == 2, url  # empty: the default (50)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.text(max_size=6) | st.sampled_from(["²", "٣", " 7 ", "0500", "500", "501"]))
def test_any_page_size_is_a_page_or_a_400(api, urls, size):
    for url in urls:
        resp = api.get(url, {"page_size": size})
        given_size = size.strip()
        # empty: the default size; otherwise the decimal digits of a whole number from 1 to 500
        ok = not given_size or (given_size.isdecimal() and 1 <= int(given_size) <= 500)
        assert resp.status_code == (200 if ok else 400), (url, size, resp.content)
