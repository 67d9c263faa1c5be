"""The hiring pipeline (apps.matching.pipeline_services): default stages per organization, moves one at a
time and in bulk with their audit events, a rejection's required reason, the admins' stage changes, notes,
and the decision meaning the fairness report and the older decision API read."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.accounts import audit
from apps.accounts.models import AuditEvent
from apps.matching.models import CandidateNote, PipelineStage, ShortlistDecision
from apps.matching.pipeline_services import (
    DEFAULT_STAGES,
    PipelineError,
    ReasonRequired,
    note_add,
    stage_add,
    stage_label,
    stage_move,
    stage_move_bulk,
    stage_remove,
    stage_rename,
    stage_reorder,
    stages_ensure,
)
from apps.matching.services import decision_record
from tests.factories import OrganizationFactory, UserFactory, make_candidate, make_job, make_stage

pytestmark = pytest.mark.django_db


def _stage(org, name: str) -> PipelineStage:
    return PipelineStage.objects.get(organization=org, name=name)


@pytest.fixture
def setup(org):
    user = UserFactory(organization=org)
    job = make_job(org, ["SQL"])
    cands = [make_candidate(org, cid=f"p-{i}", skills=["SQL"]) for i in range(3)]
    return {"user": user, "job": job, "cands": cands}


def test_a_new_organization_has_the_default_pipeline_in_order():
    org = OrganizationFactory()
    stages = stages_ensure(organization=org)
    assert [(s.name, s.decision, s.position) for s in stages] == [
        (name, decision, i) for i, (name, decision) in enumerate(DEFAULT_STAGES)
    ]
    assert [s.name for s in stages] == ["New", "Shortlisted", "Contacted", "Interview", "Offer", "Hired", "Rejected"]
    assert [s.requires_reason for s in stages] == [False] * 6 + [True]
    assert stages_ensure(organization=org) == stages  # created once


def test_a_move_records_the_stage_its_meaning_and_an_audit_event(org, setup):
    job, cand, user = setup["job"], setup["cands"][0], setup["user"]
    d = stage_move(job=job, candidate=cand, stage=_stage(org, "Interview"), user=user, reason="  good   fit ")
    assert (d.decision, d.stage_name, d.reason, d.decided_by) == ("contact", "Interview", "good fit", user)
    (event,) = AuditEvent.objects.filter(action=audit.DECISION_RECORDED)
    assert (event.actor_user, event.object_type, event.object_id) == (user, "candidates.candidate", str(cand.pk))
    assert event.details == {
        "job_id": job.pk,
        "decision_id": d.pk,
        "decision": "contact",
        "stage_id": d.stage_id,
        "stage": "Interview",
        "with_reason": True,
    }


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_rejection_without_a_reason_is_refused_and_nothing_is_written(org, setup, reason):
    with pytest.raises(ReasonRequired, match="Give a reason when rejecting"):
        stage_move(
            job=setup["job"],
            candidate=setup["cands"][0],
            stage=_stage(org, "Rejected"),
            user=setup["user"],
            reason=reason,
        )
    assert not ShortlistDecision.objects.exists()
    assert not AuditEvent.objects.exists()


def test_another_organizations_stage_or_candidate_is_refused(org, other_org, setup):
    theirs = stages_ensure(organization=other_org)[1]
    with pytest.raises(PipelineError, match="not part of this organization"):
        stage_move(job=setup["job"], candidate=setup["cands"][0], stage=theirs, user=setup["user"])
    stranger = make_candidate(other_org, cid="x", skills=["SQL"])
    with pytest.raises(PipelineError, match="not in this organization"):
        stage_move(job=setup["job"], candidate=stranger, stage=_stage(org, "New"), user=setup["user"])
    with pytest.raises(PipelineError, match="not in this organization"):
        stage_move_bulk(
            job=setup["job"],
            candidate_ids=[setup["cands"][0].pk, stranger.pk],
            stage=_stage(org, "Offer"),
            user=setup["user"],
        )
    assert not ShortlistDecision.objects.exists()  # the bulk move is all or nothing


def test_a_bulk_move_moves_each_candidate_once_with_one_event_each(org, setup):
    ids = [c.pk for c in setup["cands"]]
    moved = stage_move_bulk(
        job=setup["job"],
        candidate_ids=ids + ids[:1],
        stage=_stage(org, "Rejected"),
        user=setup["user"],
        reason="no SQL",
    )
    assert sorted(d.candidate_id for d in moved) == sorted(ids)
    assert set(ShortlistDecision.objects.values_list("decision", "reason")) == {("reject", "no SQL")}
    assert AuditEvent.objects.filter(action=audit.DECISION_RECORDED).count() == 3
    with pytest.raises(PipelineError, match="at least one"):
        stage_move_bulk(job=setup["job"], candidate_ids=[], stage=_stage(org, "New"), user=setup["user"])


def test_the_older_decision_api_lands_on_the_stage_with_that_meaning(org, setup):
    d = decision_record(job=setup["job"], candidate=setup["cands"][0], decision="contact", user=setup["user"])
    assert (d.stage.name, d.decision) == ("Contacted", "contact")
    with pytest.raises(ReasonRequired):
        decision_record(job=setup["job"], candidate=setup["cands"][0], decision="reject", user=setup["user"])
    with pytest.raises(ValueError, match="unknown decision"):
        decision_record(job=setup["job"], candidate=setup["cands"][0], decision="hire", user=setup["user"])


def test_stage_settings_add_rename_reorder_remove_are_audited(org, setup):
    user = setup["user"]
    added = stage_add(organization=org, name=" Technical  test ", decision="contact", user=user)
    assert (added.name, added.position) == ("Technical test", 7)
    with pytest.raises(PipelineError, match="already a stage"):
        stage_add(organization=org, name="technical TEST", decision="", user=user)
    with pytest.raises(PipelineError, match="Choose what a move"):
        stage_add(organization=org, name="Other", decision="maybe", user=user)
    order = stage_reorder(stage=added, offset=-5, user=user)
    assert [s.name for s in order][:3] == ["New", "Shortlisted", "Technical test"]
    assert [s.position for s in PipelineStage.objects.filter(organization=org)] == list(range(8))
    stage_reorder(stage=_stage(org, "New"), offset=-1, user=user)  # already first: no change, no event
    # a past decision keeps the name it was made with when its stage is renamed or removed
    d = stage_move(job=setup["job"], candidate=setup["cands"][0], stage=added, user=user)
    stage_rename(stage=added, name="Take-home task", user=user)
    d.refresh_from_db()
    assert (d.stage.name, d.stage_name) == ("Take-home task", "Technical test")
    stage_remove(stage=added, user=user)
    d.refresh_from_db()
    assert (d.stage, d.stage_name, d.decision) == (None, "Technical test", "contact")
    changes = [e.details["change"] for e in AuditEvent.objects.filter(action=audit.PIPELINE_CHANGED).order_by("id")]
    assert changes == ["added", "reordered", "renamed", "removed"]


def test_the_last_stage_cannot_be_removed(org, setup):
    stages = stages_ensure(organization=org)
    for s in stages[:-1]:
        stage_remove(stage=s, user=setup["user"])
    with pytest.raises(PipelineError, match="at least one stage"):
        stage_remove(stage=stages[-1], user=setup["user"])
    assert PipelineStage.objects.filter(organization=org).count() == 1


def test_notes_keep_author_and_time_and_are_audited(org, setup):
    note = note_add(job=setup["job"], candidate=setup["cands"][0], user=setup["user"], text="  Call on Monday  ")
    assert (note.text, note.author) == ("Call on Monday", setup["user"])
    assert note.created_at is not None
    (event,) = AuditEvent.objects.filter(action=audit.NOTE_ADDED)
    assert event.details == {"job_id": setup["job"].pk, "note_id": note.pk}  # ids only, never the text
    with pytest.raises(PipelineError, match="Write something"):
        note_add(job=setup["job"], candidate=setup["cands"][0], user=setup["user"], text=" \n ")
    with pytest.raises(PipelineError, match="under 4000"):
        note_add(job=setup["job"], candidate=setup["cands"][0], user=setup["user"], text="x" * 4001)
    assert CandidateNote.objects.count() == 1


def test_default_stage_names_are_shown_translated_and_others_as_written():
    from django.utils import translation

    from tests.dashboard.i18n import ensure_japanese_catalog

    ensure_japanese_catalog()
    with translation.override("ja"):
        assert [stage_label(n) for n, _ in DEFAULT_STAGES] == [
            "新規",
            "候補に追加",
            "連絡済み",
            "面接",
            "内定",
            "採用",
            "不採用",
        ]
        assert stage_label("Take-home task") == "Take-home task"
    assert stage_label("Interview") == "Interview"


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=80))
def test_any_stage_name_is_stored_cleanly_or_refused_in_words(name):
    org = OrganizationFactory()
    try:
        stage = stage_add(organization=org, name=name, decision="", user=None)
    except PipelineError as e:
        assert str(e)
        assert PipelineStage.objects.filter(organization=org).count() == len(DEFAULT_STAGES)
    else:
        assert stage.name == " ".join(name.split()) and 0 < len(stage.name) <= 60


def test_make_stage_factory(org):
    s = make_stage(org, "Reference check")
    assert s.position == len(DEFAULT_STAGES) and s.decision == "contact"


def test_the_data_migration_gives_existing_decisions_their_stage_and_each_org_an_admin(org, setup):
    import importlib

    from django.apps import apps

    from apps.accounts.models import Membership

    migration = importlib.import_module("apps.matching.migrations.0009_default_pipeline_stages")
    # as before the migration: decisions by value only, no stages, no admin
    for value in ("shortlist", "reject", "contact"):
        ShortlistDecision.objects.create(job=setup["job"], candidate=setup["cands"][0], decision=value, reason="r")
    PipelineStage.objects.filter(organization=org).delete()
    migration.forwards(apps, None)
    got = ShortlistDecision.objects.order_by("id").values_list("decision", "stage__name", "stage_name")
    assert list(got) == [
        ("shortlist", "Shortlisted", "Shortlisted"),
        ("reject", "Rejected", "Rejected"),
        ("contact", "Contacted", "Contacted"),
    ]
    assert [s.name for s in PipelineStage.objects.filter(organization=org)] == [n for n, _ in DEFAULT_STAGES]
    assert list(Membership.objects.filter(organization=org, is_admin=True).values_list("user", flat=True)) == [
        setup["user"].pk
    ]
