"""A seeker's profile shared with another organization: consent, snapshot or live copy, revocation,
erasure everywhere."""

from __future__ import annotations

import pytest

from apps.accounts.models import AuditEvent
from apps.candidates.models import Candidate
from apps.candidates.rights import candidate_erase
from apps.core.interchange import parse_candidate
from apps.credentials.models import Credential
from apps.matching.models import MatchScore
from apps.matching.services import match_run_perform, match_run_start
from apps.wallet.models import ProfileShare, ShareMode, ShareVia
from apps.wallet.services import (
    ShareError,
    apply_token,
    job_from_apply_token,
    profile_share,
    share_revoke,
)
from tests.factories import credential, make_candidate, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(org, seeker):
    return make_candidate(
        org, cid="sam", name="Sam Sato", user=seeker, credentials=[credential("SQL badge", ["SQL"])], skills=["Excel"]
    )


@pytest.fixture
def their_job(other_org):
    return make_job(other_org, [{"name": "SQL", "required": True}, "Excel"], title="Data analyst at Other")


def test_apply_link_names_the_open_job_only(their_job):
    token = apply_token(job=their_job)
    assert job_from_apply_token(token) == their_job
    assert job_from_apply_token(token[:-2] + "xx") is None  # forged
    assert job_from_apply_token("not-a-token") is None
    their_job.status = "closed"
    their_job.save()
    assert job_from_apply_token(token) is None


def test_sharing_gives_the_organization_a_copy_of_the_evidence_and_nothing_else(
    seeker, home, their_job, other_org, django_capture_on_commit_callbacks
):
    from apps.candidates.rights import demographics_set

    demographics_set(candidate=home, actor=seeker, consent=True, age_band="25_39")
    with django_capture_on_commit_callbacks(execute=True):
        share = profile_share(user=seeker, job=their_job, mode=ShareMode.SNAPSHOT, via=ShareVia.APPLY)
    copy = share.copy
    assert copy.organization == other_org and copy.user == seeker and copy.name == "Sam Sato"
    assert [c.title for c in copy.credentials.all()] == ["SQL badge"]
    assert [s.text for s in copy.credentials.get().skills.all()] == ["SQL"]
    assert [s.text for s in copy.declared_skills.all()] == ["Excel"]
    assert not Candidate.objects.filter(pk=copy.pk, demographics__isnull=False).exists()
    # the seeker's own profile is untouched
    assert home.credentials.count() == 1 and Candidate.objects.filter(user=seeker).count() == 2
    assert AuditEvent.objects.filter(organization=other_org, action="profile.shared").count() == 1


def test_a_snapshot_stays_as_it_was_and_a_live_share_follows_the_profile(
    seeker, home, their_job, org, django_capture_on_commit_callbacks
):
    from apps.candidates.services import candidates_create

    with django_capture_on_commit_callbacks(execute=True):
        share = profile_share(user=seeker, job=their_job, mode=ShareMode.SNAPSHOT, via=ShareVia.APPLY)

    def gain_python():
        doc = parse_candidate(
            {
                "id": "sam",
                "name": "Sam Sato",
                "credentials": [credential("SQL badge", ["SQL"]), credential("Py", ["Python"])],
            }
        )
        with django_capture_on_commit_callbacks(execute=True):
            candidates_create(organization=org, docs=[doc], user=seeker)

    gain_python()
    share.refresh_from_db()
    assert share.copy.credentials.count() == 1  # a snapshot
    with django_capture_on_commit_callbacks(execute=True):
        # the same share, now live
        share = profile_share(user=seeker, job=their_job, mode=ShareMode.LIVE, via=ShareVia.APPLY)
    assert ProfileShare.objects.filter(user=seeker).count() == 1
    assert sorted(share.copy.credentials.values_list("title", flat=True)) == ["Py", "SQL badge"]
    doc = parse_candidate({"id": "sam", "name": "Sam Sato", "credentials": [credential("Only this", ["Git"])]})
    with django_capture_on_commit_callbacks(execute=True):
        candidates_create(organization=org, docs=[doc], user=seeker)
    share.refresh_from_db()
    assert list(share.copy.credentials.values_list("title", flat=True)) == ["Only this"]


def test_the_copy_is_scored_in_the_organizations_open_runs(seeker, home, their_job, django_capture_on_commit_callbacks):
    run = match_run_perform(run_id=match_run_start(job=their_job).id)
    assert run.scores.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        share = profile_share(user=seeker, job=their_job, mode=ShareMode.SNAPSHOT, via=ShareVia.APPLY)
    score = MatchScore.objects.get(candidate=share.copy)
    assert score.must_have_met and score.score > 0


def test_revoking_erases_the_organizations_copy_and_keeps_the_consent_record(
    seeker, home, their_job, other_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        share = profile_share(user=seeker, job=their_job, mode=ShareMode.SNAPSHOT, via=ShareVia.APPLY)
    copy_id = share.copy_id
    share_revoke(share=share, actor=seeker)
    share.refresh_from_db()
    assert share.revoked_at is not None and share.copy is None
    assert not Candidate.objects.filter(pk=copy_id).exists()
    assert not Credential.objects.filter(candidate_id=copy_id).exists()
    assert home.credentials.count() == 1  # the seeker keeps their own profile
    actions = set(AuditEvent.objects.filter(organization=other_org).values_list("action", flat=True))
    assert {"profile.shared", "profile.share_revoked", "candidate.erased"} <= actions
    # applying again after revoking is a new consent
    with django_capture_on_commit_callbacks(execute=True):
        again = profile_share(user=seeker, job=their_job, mode=ShareMode.SNAPSHOT, via=ShareVia.APPLY)
    assert again.pk != share.pk and again.copy is not None


def test_erasing_the_seekers_profile_erases_every_organizations_copy(
    seeker, home, their_job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        share = profile_share(user=seeker, job=their_job, mode=ShareMode.SNAPSHOT, via=ShareVia.APPLY)
    copy_id = share.copy_id
    candidate_erase(candidate=home, actor=seeker)
    assert not Candidate.objects.filter(pk__in=[home.pk, copy_id]).exists()
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_no_profile_or_own_organization_is_refused_in_words(seeker, org, their_job):
    with pytest.raises(ShareError, match="no profile"):
        profile_share(user=seeker, job=their_job, mode=ShareMode.SNAPSHOT, via=ShareVia.APPLY)
    make_candidate(org, cid="sam", user=seeker, skills=["Excel"])
    own = make_job(org, ["Excel"])
    with pytest.raises(ShareError, match="own organization"):
        profile_share(user=seeker, job=own, mode=ShareMode.SNAPSHOT, via=ShareVia.APPLY)
    with pytest.raises(ShareError):
        profile_share(user=seeker, job=their_job, mode="everything", via=ShareVia.APPLY)


def test_a_live_copy_follows_a_skill_the_seeker_adds_on_their_profile(
    seeker, home, their_job, django_capture_on_commit_callbacks
):
    from apps.candidates.services import candidate_skill_add

    with django_capture_on_commit_callbacks(execute=True):
        share = profile_share(user=seeker, job=their_job, mode=ShareMode.LIVE, via=ShareVia.APPLY)
    with django_capture_on_commit_callbacks(execute=True):
        candidate_skill_add(candidate=home, text="Git")
    share.refresh_from_db()
    assert sorted(share.copy.declared_skills.values_list("text", flat=True)) == ["Excel", "Git"]


def test_the_apply_link_of_a_job_does_not_change(their_job, other_org):
    assert apply_token(job=their_job) == apply_token(job=their_job)
    another = make_job(other_org, ["Git"], title="Platform engineer")
    assert apply_token(job=another) != apply_token(job=their_job)
