"""A seeker's export and erasure across every organization that holds their profile: the export names
each organization and holds each copy's own export; erasure leaves nothing about them in any of them
and keeps the login account."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import AuditEvent, Role
from apps.candidates.models import Candidate, ResumeParseJob
from apps.matching.models import MatchScore, ShortlistDecision
from apps.matching.services import match_run_perform, match_run_start
from apps.wallet import invitations as inv
from apps.wallet.models import ProfileInvitation, ProfileShare, ShareMode, ShareVia
from apps.wallet.rights import held_summary, wallet_erase, wallet_export
from apps.wallet.services import profile_share, share_revoke
from tests.factories import (
    OrganizationFactory,
    ResumeParseJobFactory,
    UserFactory,
    credential,
    make_candidate,
    make_job,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, other_org, seeker, django_capture_on_commit_callbacks):
    """Sam keeps a profile at Acme, applied to Other Co's job (a live copy, scored and shortlisted) and
    accepted Third Ltd's invitation to its pool; each organization has someone else too."""
    seeker.email = "sam@example.com"
    seeker.save(update_fields=["email"])
    third = OrganizationFactory(slug="third", name="Third Ltd")
    home = make_candidate(
        org, cid="sam", name="Sam Sato", user=seeker, credentials=[credential("SQL badge", ["SQL"])], skills=["Excel"]
    )
    job = make_job(other_org, [{"name": "SQL", "required": True}], title="Analyst at Other")
    bystanders = [make_candidate(o, name=f"Kim {o.slug}", skills=["SQL"]) for o in (org, other_org, third)]
    match_run_perform(run_id=match_run_start(job=job).id)
    with django_capture_on_commit_callbacks(execute=True):
        applied = profile_share(user=seeker, job=job, mode=ShareMode.LIVE, via=ShareVia.APPLY)
    ShortlistDecision.objects.create(job=job, candidate=applied.copy, decision="shortlist")
    recruiter = UserFactory(username="tom", organization=third, role=Role.RECRUITER)
    invitation = inv.invitation_send(
        organization=third, email="SAM@example.com", invited_by=recruiter, link_for=lambda t: f"/invitation/{t}/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        invited = inv.invitation_accept(invitation=invitation, user=seeker, mode=ShareMode.SNAPSHOT)
    return {
        "home": home,
        "job": job,
        "third": third,
        "applied": applied,
        "invited": invited,
        "bystanders": bystanders,
        "recruiter": recruiter,
    }


def test_the_export_holds_the_own_profile_and_each_organizations_copy(seeker, org, other_org, world):
    data = json.loads(json.dumps(wallet_export(user=seeker)))  # JSON-ready all the way down
    assert data["account"]["username"] == "sam" and data["account"]["organization"]["slug"] == "acme"
    assert data["home_profile"]["candidate"]["id"] == world["home"].pk
    assert [c["title"] for c in data["home_profile"]["credentials"]] == ["SQL badge"]
    by_org = {s["organization"]["name"]: s for s in data["shares"]}
    assert set(by_org) == {"Other Co", "Third Ltd"}
    other, third = by_org["Other Co"], by_org["Third Ltd"]
    assert other["mode"] == "live" and other["via"] == "apply" and other["job_title"] == "Analyst at Other"
    assert third["mode"] == "snapshot" and third["via"] == "invitation" and third["job_title"] is None
    assert other["consented_at"] and other["revoked_at"] is None and other["active"]
    # each copy's own export: its evidence, its scores and the decisions the organization recorded
    assert other["copy"]["organization"]["name"] == "Other Co"
    assert [c["title"] for c in other["copy"]["credentials"]] == ["SQL badge"]
    assert other["copy"]["match_scores"] and other["copy"]["decisions"][0]["decision"] == "shortlist"
    assert third["copy"]["candidate"]["id"] == world["invited"].copy_id
    [invitation] = data["invitations"]
    assert invitation["organization"]["name"] == "Third Ltd" and invitation["state"] == "accepted"
    # each organization's log records the export of its own copy
    for organization in (org, other_org, world["third"]):
        assert AuditEvent.objects.filter(organization=organization, action="candidate.data_exported").count() == 1


def test_a_revoked_share_is_exported_as_a_consent_record_without_a_copy(seeker, world):
    share_revoke(share=world["applied"], actor=seeker)
    other = next(s for s in wallet_export(user=seeker)["shares"] if s["organization"]["name"] == "Other Co")
    assert other["revoked_at"] and not other["active"] and other["copy"] is None


def test_erasure_leaves_nothing_about_them_in_any_organization(seeker, org, other_org, world):
    copies = [world["applied"].copy_id, world["invited"].copy_id]
    pending = inv.invitation_send(
        organization=other_org, email="Sam@Example.com", invited_by=None, link_for=lambda t: t
    )  # an invitation not yet answered is held about them too
    # CVs they uploaded and did not confirm: for their profile, without one, and anywhere else
    ResumeParseJobFactory(organization=org, user=seeker, candidate=world["home"])
    ResumeParseJobFactory(organization=org, user=seeker)
    ResumeParseJobFactory(organization=OrganizationFactory(slug="fourth"), user=seeker)  # no profile there
    theirs = ResumeParseJobFactory(organization=org)
    receipt = wallet_erase(user=seeker)
    assert list(ResumeParseJob.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert receipt["cv_uploads"] == 1  # the others went with the profiles' erasure
    assert receipt["organizations"] == ["Acme", "Other Co", "Third Ltd"]
    assert receipt["profiles"] == 3 and receipt["shares"] == 2 and receipt["invitations"] == 2
    assert not Candidate.objects.filter(user=seeker).exists()
    assert not Candidate.objects.filter(pk__in=[world["home"].pk, *copies]).exists()
    assert not MatchScore.objects.filter(candidate_id__in=copies).exists()
    assert not ShortlistDecision.objects.filter(candidate_id__in=copies).exists()
    assert not ProfileShare.objects.filter(user=seeker).exists()
    assert not ProfileInvitation.objects.filter(pk=pending.pk).exists()
    assert not ProfileInvitation.objects.filter(email__iexact="sam@example.com").exists()
    # nobody else's data is touched, and the account still signs in
    assert Candidate.objects.filter(pk__in=[c.pk for c in world["bystanders"]]).count() == 3
    seeker.refresh_from_db()
    assert seeker.check_password("pw-tsumiki-123") and seeker.membership is not None
    # each organization's log says an erasure happened, with ids only
    for organization in (org, other_org, world["third"]):
        events = AuditEvent.objects.filter(organization=organization, action="candidate.erased")
        assert events.count() == 1
        assert "sam" not in json.dumps(list(events.values_list("details", flat=True))).lower()
    assert held_summary(user=seeker)["has_data"] is False
    assert wallet_export(user=seeker)["home_profile"] is None


def test_erasure_of_someone_with_nothing_is_a_receipt_of_nothing(org):
    lone = UserFactory(username="lone", organization=org, role=Role.SEEKER)
    assert wallet_erase(user=lone)["profiles"] == 0
    assert wallet_export(user=lone)["shares"] == []


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_pages_download_and_erase_after_the_confirmation(seeker, world):
    c = _client(seeker)
    page = c.get(reverse("dashboard:my_data")).content.decode()
    assert "Other Co" in page and "Third Ltd" in page
    assert c.get(reverse("dashboard:my_data_export")).status_code == 405  # a download is a POST
    download = c.post(reverse("dashboard:my_data_export"))
    assert download["Content-Disposition"].startswith('attachment; filename="tsumiki-my-data-')
    names = {s["organization"]["name"] for s in json.loads(download.content)["shares"]}
    assert names == {"Other Co", "Third Ltd"}
    confirm = c.get(reverse("dashboard:my_data_erase")).content.decode()
    assert "the copy Other Co holds" in confirm and "the copy Third Ltd holds" in confirm
    refused = c.post(reverse("dashboard:my_data_erase"), {})
    assert refused.status_code == 400 and Candidate.objects.filter(user=seeker).count() == 3
    done = c.post(reverse("dashboard:my_data_erase"), {"confirm": "yes"}, follow=True)
    assert "erased from 3 organizations" in done.content.decode()
    assert not Candidate.objects.filter(user=seeker).exists()


def test_only_a_seeker_has_my_data(recruiter):
    c = _client(recruiter)
    assert c.get(reverse("dashboard:my_data")).status_code == 403
    assert c.post(reverse("dashboard:my_data_erase"), {"confirm": "yes"}).status_code == 403
