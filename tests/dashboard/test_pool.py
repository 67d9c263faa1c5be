"""Talent-pool search pages: ranked, explained and degree-blind results; conditions; saved searches that
say who is new since the last visit; the empty pool."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.matching.models import SavedSearch
from apps.matching.pool_services import pool_label

from ..factories import credential, make_candidate

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"dashboard:{name}", kwargs=kw or None)


def test_search_ranks_explains_and_hides_names(client, recruiter, pool):
    client.force_login(recruiter)
    resp = client.get(url("pool_search"), {"skill": ["SQL"], "mode": "all"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "2 candidates found" in html
    assert pool_label(pool["strong"].id) in html and pool_label(pool["partial"].id) in html
    assert pool_label(pool["none"].id) not in html
    # degree-blind: no names, no degrees
    assert "Ada Lovelace" not in html and "BSc Mathematics" not in html
    # explained like a shortlist: the credential that covered the skill
    assert "SQL for Analysts" in html and "Open Data Academy" in html


def test_all_of_and_any_of(client, recruiter, pool):
    client.force_login(recruiter)
    all_of = client.get(url("pool_search"), {"skill": ["SQL", "Python programming"], "mode": "all"}).content.decode()
    any_of = client.get(url("pool_search"), {"skill": ["SQL", "Python programming"], "mode": "any"}).content.decode()
    assert "1 candidate found" in all_of and pool_label(pool["strong"].id) in all_of
    assert "2 candidates found" in any_of


def test_verified_only_drops_unverified_evidence(client, recruiter, pool):
    client.force_login(recruiter)
    # Ada's Python credential is unverified: with "verified only" no one proves Python
    resp = client.get(url("pool_search"), {"skill": ["Python programming"], "mode": "all", "verified_only": "on"})
    assert "0 candidates found" in resp.content.decode()
    resp = client.get(url("pool_search"), {"skill": ["Python programming"], "mode": "all"})
    assert "1 candidate found" in resp.content.decode()


def test_issued_within_years_and_minimum_level(client, recruiter, org, pool):
    old = make_candidate(org, cid="c-old", credentials=[credential("Old SQL course", ["SQL"], issued="2009-01-01")])
    client.force_login(recruiter)
    recent = client.get(url("pool_search"), {"skill": ["SQL"], "mode": "all", "within_years": "5"}).content.decode()
    assert pool_label(old.id) not in recent and pool_label(pool["strong"].id) in recent
    leveled = make_candidate(
        org, cid="c-lvl", credentials=[credential("SQL level 6", ["SQL"], level={"framework": "EQF", "value": 6})]
    )
    by_level = client.get(url("pool_search"), {"skill": ["SQL"], "mode": "all", "min_level": "5"}).content.decode()
    assert "1 candidate found" in by_level and pool_label(leveled.id) in by_level


def test_bad_input_is_a_message_not_an_error(client, recruiter, pool):
    client.force_login(recruiter)
    resp = client.get(url("pool_search"), {"skill": [""], "mode": "all"})
    assert resp.status_code == 200 and "Name at least one skill." in resp.content.decode()
    resp = client.get(url("pool_search"), {"skill": ["SQL"], "mode": "all", "within_years": "abc"})
    assert resp.status_code == 200 and "Issued within" in resp.content.decode()


def test_saved_search_shows_who_is_new_since_the_last_visit(client, recruiter, org, pool):
    client.force_login(recruiter)
    resp = client.post(url("pool_search_save"), {"skill": ["SQL"], "mode": "all", "name": "SQL people"})
    search = SavedSearch.objects.get(owner=recruiter)
    assert resp.status_code == 302 and resp["Location"] == url("saved_search", search_id=search.id)
    first = client.get(resp["Location"]).content.decode()
    assert "0 candidates are new since your last visit" in first
    newcomer = make_candidate(org, cid="c-new", credentials=[credential("SQL bootcamp", ["SQL"])])
    again = client.get(url("saved_search", search_id=search.id)).content.decode()
    assert "1 candidate is new since your last visit" in again
    assert pool_label(newcomer.id) in again and 'class="badge badge-new"' in again
    # seen now: the next visit has no one new
    third = client.get(url("saved_search", search_id=search.id)).content.decode()
    assert "0 candidates are new since your last visit" in third


def test_saved_searches_are_per_recruiter(client, recruiter, org, pool):
    from .conftest import make_user

    other = make_user("otto", org, "recruiter")
    search = SavedSearch.objects.create(organization=org, owner=other, name="mine", query={"skills": ["SQL"]})
    client.force_login(recruiter)
    assert client.get(url("saved_search", search_id=search.id)).status_code == 404
    assert "mine" not in client.get(url("pool_search")).content.decode()


def test_duplicate_name_is_refused_with_a_message(client, recruiter, pool):
    client.force_login(recruiter)
    client.post(url("pool_search_save"), {"skill": ["SQL"], "mode": "all", "name": "Same"})
    resp = client.post(url("pool_search_save"), {"skill": ["SQL"], "mode": "any", "name": "Same"}, follow=True)
    assert "already have a saved search with this name" in resp.content.decode()
    assert SavedSearch.objects.filter(owner=recruiter).count() == 1


def test_empty_pool_says_how_to_import(client, recruiter):
    client.force_login(recruiter)
    html = client.get(url("pool_search")).content.decode()
    assert "Your talent pool is empty" in html and "/api/v1/candidates/import/" in html


def test_seekers_cannot_search_the_pool(client, seeker):
    client.force_login(seeker)
    assert client.get(url("pool_search")).status_code == 403
