"""The candidate's own evidence in the dashboard: the seeker's profile page (skills and roles added,
corrected, removed), CV upload → draft → confirmation for the seeker and for a recruiter, and the
recruiter's view saying who entered what."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from apps.candidates.models import (
    CandidateSkill,
    EnteredBy,
    EvidenceSource,
    Experience,
    ExperienceSource,
    ResumeParseJob,
    ResumeParseStatus,
)
from tests.candidates import cv_files
from tests.candidates.conftest import cv_taxonomy  # noqa: F401  (fixture)

from ..factories import make_candidate


@pytest.fixture
def me(org, seeker):
    return make_candidate(org, cid="c-me", name="Sam Seeker", user=seeker)


def _pdf(data: bytes, name: str = "cv.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _upload(client, url: str, upload, capture):
    """Upload a CV as the form does: the POST keeps it as a parse job and redirects to the job's page;
    the task (in-process here, run when the upload commits) has read it by the time the page is asked."""
    with capture(execute=True):
        r = client.post(url, {"file": upload})
    assert r.status_code == 302 and "/resume/jobs/" in r["Location"], r
    return client.get(r["Location"])


@pytest.mark.django_db
def test_seeker_adds_corrects_and_removes_skills_and_roles(sclient, me, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = sclient.post("/me/profile/", {"action": "skill-add", "skill": "SQL"})
    assert r.status_code == 302
    skill = CandidateSkill.objects.get(candidate=me)
    assert (skill.text, skill.source, skill.entered_by) == ("SQL", EvidenceSource.SELF_DECLARED, EnteredBy.CANDIDATE)
    sclient.post("/me/profile/", {"action": "skill-add", "skill": "sql"})  # the same phrase: not twice
    assert CandidateSkill.objects.filter(candidate=me).count() == 1
    sclient.post("/me/profile/", {"action": "skill-edit", "id": skill.id, "skill": "PostgreSQL"})
    skill.refresh_from_db()
    assert skill.text == "PostgreSQL"
    sclient.post(
        "/me/profile/",
        {
            "action": "role-add",
            "new-title": "Data analyst",
            "new-organization": "Acme",
            "new-start": "2019-04",
            "new-end": "2021-03",
            "new-skills": "SQL, Python",
        },
    )
    role = Experience.objects.get(candidate=me)
    assert (role.title, role.start, role.end, role.entered_by) == (
        "Data analyst",
        date(2019, 4, 1),
        date(2021, 3, 1),
        EnteredBy.CANDIDATE,
    )
    assert sorted(role.skills.values_list("text", flat=True)) == ["Python", "SQL"]
    page = sclient.get("/me/profile/").content.decode()
    assert "PostgreSQL" in page and "Data analyst" in page and 'value="2019-04"' in page
    # an end before the start is refused with a message, nothing changes
    r = sclient.post(
        "/me/profile/",
        {
            "action": "role-edit",
            "id": role.id,
            f"r{role.id}-title": "Analyst",
            f"r{role.id}-start": "2022-01",
            f"r{role.id}-end": "2020-01",
        },
        follow=True,
    )
    assert "cannot end before it starts" in r.content.decode()
    role.refresh_from_db()
    assert role.title == "Data analyst"
    r = sclient.post(
        "/me/profile/",
        {"action": "role-edit", "id": role.id, f"r{role.id}-title": "Analyst", f"r{role.id}-start": "not a month"},
        follow=True,
    )
    assert "is not a month" in r.content.decode()
    sclient.post("/me/profile/", {"action": "role-remove", "id": role.id})
    sclient.post("/me/profile/", {"action": "skill-remove", "id": skill.id})
    assert not Experience.objects.filter(candidate=me).exists() and not CandidateSkill.objects.filter(candidate=me)


@pytest.mark.django_db
def test_seeker_cannot_touch_another_profile(sclient, me, org):
    other = make_candidate(org, cid="c-other", skills=["SQL"])
    theirs = CandidateSkill.objects.get(candidate=other)
    assert sclient.post("/me/profile/", {"action": "skill-remove", "id": theirs.id}).status_code == 404
    assert CandidateSkill.objects.filter(id=theirs.id).exists()


@pytest.mark.django_db
def test_seeker_cv_draft_then_confirm(sclient, me, cv_taxonomy, django_capture_on_commit_callbacks):  # noqa: F811
    r = _upload(sclient, "/me/resume/", _pdf(cv_files.pdf_two_columns()), django_capture_on_commit_callbacks)
    assert r.status_code == 200
    job = r.context["job"]
    page = r.content.decode()
    assert "Check what was read" in page and "<mark>Python</mark>" in page and "Senior Data Analyst" in page
    rows = r.context["skills"]
    py = next(s for s in rows if s["uri"] and s["uri"].endswith("/py"))
    sql = next(s for s in rows if s["uri"] and s["uri"].endswith("/sql"))
    post = {f"skills-{s['key']}-name": s["label"] or s["phrase"] for s in rows}
    post.update({f"skills-{s['key']}-keep": "on" for s in rows if s is not sql})  # SQL unticked: removed
    post[f"skills-{py['key']}-name"] = "Python programming"  # corrected
    post["skills-new1-name"] = "statistics"
    for role in r.context["roles"]:
        k = role["key"]
        post.update(
            {
                f"exp-{k}-title": role["title"],
                f"exp-{k}-organization": role["organization"],
                f"exp-{k}-start": role["start"],
                f"exp-{k}-end": role["end"],
                f"exp-{k}-skills": role["skills"],
            }
        )
    post["exp-e0-keep"] = "on"  # only the first role kept
    post.update({"exp-new1-title": "Tutor", "exp-new1-start": "2012-09", "exp-new1-skills": "statistics"})
    post["job"] = str(job.pk)
    r = sclient.post("/me/resume/confirm/", post)
    assert r.status_code == 302 and r["Location"] == "/me/profile/"
    assert not ResumeParseJob.objects.filter(pk=job.pk).exists()  # confirmed: the upload is gone
    own = dict(CandidateSkill.objects.filter(candidate=me).values_list("text", "entered_by"))
    assert "Python programming" in own and "statistics" in own and "SQL" not in own
    assert set(own.values()) == {EnteredBy.CANDIDATE}
    assert all(s.source == EvidenceSource.SELF_DECLARED for s in CandidateSkill.objects.filter(candidate=me))
    roles = {e.title: e for e in Experience.objects.filter(candidate=me)}
    assert set(roles) == {"Senior Data Analyst", "Tutor"}
    assert roles["Senior Data Analyst"].source == ExperienceSource.RESUME
    assert (roles["Senior Data Analyst"].start, roles["Senior Data Analyst"].end) == (date(2020, 1, 1), None)
    assert roles["Tutor"].entered_by == EnteredBy.CANDIDATE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (cv_files.pdf_scanned(), "scan.pdf", "no text layer"),
        (b"\x00\xff" * 300, "junk.bin", "could not be read as a CV"),
    ],
)
def test_unreadable_cv_is_explained(sclient, me, data, name, words, django_capture_on_commit_callbacks):
    r = _upload(sclient, "/me/resume/", _pdf(data, name), django_capture_on_commit_callbacks)
    assert r.status_code == 200 and words in r.content.decode()
    assert "Check what was read" not in r.content.decode() and "Reading your CV" not in r.content.decode()
    job = r.context["job"]
    assert job.status == ResumeParseStatus.FAILED and bytes(job.data) == b""  # nothing of the file kept


@pytest.mark.django_db
def test_cv_upload_without_file_and_confirm_with_bad_month(sclient, me):
    assert sclient.post("/me/resume/", {}).status_code == 400
    r = sclient.post("/me/resume/confirm/", {"exp-new1-title": "X", "exp-new1-start": "2019-13"}, follow=True)
    assert "is not a month" in r.content.decode() and not Experience.objects.filter(candidate=me).exists()


@pytest.mark.django_db
def test_recruiter_imports_a_cv_and_sees_who_entered_what(
    rclient,
    me,
    org,
    other_org,
    cv_taxonomy,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from apps.candidates.services import candidate_skill_add

    candidate_skill_add(candidate=me, text="SQL")  # entered by the candidate
    url = f"/candidates/{me.id}/resume/"
    r = _upload(rclient, url, _pdf(cv_files.pdf_one_column()), django_capture_on_commit_callbacks)
    assert r.status_code == 200
    rows = r.context["skills"]
    post = {f"skills-{s['key']}-name": s["label"] or s["phrase"] for s in rows}
    post.update({f"skills-{s['key']}-keep": "on" for s in rows})
    for role in r.context["roles"]:
        k = role["key"]
        post.update(
            {
                f"exp-{k}-keep": "on",
                f"exp-{k}-title": role["title"],
                f"exp-{k}-start": role["start"],
                f"exp-{k}-end": role["end"],
                f"exp-{k}-organization": role["organization"],
            }
        )
    r = rclient.post(f"/candidates/{me.id}/resume/confirm/", post)
    assert r.status_code == 302
    by = dict(CandidateSkill.objects.filter(candidate=me).values_list("text", "entered_by"))
    assert by["SQL"] == EnteredBy.CANDIDATE  # already declared: kept as the candidate entered it
    assert by["Tableau"] == EnteredBy.ORGANIZATION
    page = rclient.get(f"/candidates/{me.id}/profile/").content.decode()
    assert "the candidate" in page and "your organization" in page and "read from a CV" in page
    # the ongoing role first
    assert page.index("Senior Data Analyst") < page.index("Data Analyst · Beta Ltd")
    stranger = make_candidate(other_org, cid="c-x")
    assert rclient.get(f"/candidates/{stranger.id}/profile/").status_code == 404
    assert rclient.post(f"/candidates/{stranger.id}/resume/confirm/", post).status_code == 404


@pytest.mark.django_db
def test_roles_are_kept_apart(sclient, me):
    assert sclient.get(f"/candidates/{me.id}/profile/").status_code == 403
    assert sclient.get("/jobs/editor/suggest/?q=sq").status_code == 403
    assert sclient.get("/me/skills/suggest/?q=sq").status_code == 200  # the seeker's own autocomplete


@pytest.mark.django_db
def test_confirmed_cv_skills_count_as_self_declared_and_roles_as_experience(org, me, cv_taxonomy):  # noqa: F811
    """What a confirmed CV counts for (docs/resume.md): a skill at the self-declared strength, the same
    skill used in a role at the experience strength."""
    from apps.candidates.services import ExperienceInput, resume_confirm
    from apps.dashboard.selectors import job_fit

    from ..factories import make_job

    job = make_job(org, [{"name": "SQL", "required": True}], title="Analyst", job_id="j-sql")
    resume_confirm(candidate=me, skills=["SQL"], experiences=[], entered_by=EnteredBy.CANDIDATE)
    declared = job_fit(job=job, candidate=me).skills[0].match
    resume_confirm(
        candidate=me,
        skills=[],
        experiences=[ExperienceInput(title="Analyst", start=date(2020, 1, 1), skills=["SQL"])],
        entered_by=EnteredBy.CANDIDATE,
    )
    used = job_fit(job=job, candidate=me).skills[0].match
    assert declared["source_kind"] == "self" and used["source_kind"] == "experience", (declared, used)
    assert used["credit"] > declared["credit"]


_KEYS = st.sampled_from(
    [
        "skills-s0-name",
        "skills-s0-keep",
        "skills-new1-name",
        "exp-e0-title",
        "exp-e0-keep",
        "exp-e0-start",
        "exp-e0-end",
        "exp-e0-skills",
        "exp-new1-title",
        "exp-new1-start",
        "skills-x-name",
        "exp-!!-title",
        "other",
    ]
)


@given(st.dictionaries(_KEYS, st.one_of(st.text(max_size=40), st.sampled_from(["on", "2019-04", "2019", "2020-13"]))))
@hyp_settings(max_examples=200, deadline=None)
def test_any_confirmation_form_reads_or_reports(post):
    from django.http import QueryDict

    from apps.dashboard.resume_forms import read_confirmation

    q = QueryDict(mutable=True)
    for k, v in post.items():
        q[k] = v
    got = read_confirmation(q)
    for role in got.roles:
        assert role.title.strip() and not (role.start and role.end and role.end < role.start)
    assert all(s.strip() for s in got.skills)


@pytest.mark.django_db
@given(
    st.dictionaries(
        st.sampled_from(["action", "id", "skill", "new-title", "new-start", "new-end", "new-skills"]),
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(["skill-add", "role-add", "skill-edit", "1", "2021-02", "role-remove"]),
        ),
    )
)
@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_profile_page_answers_any_post_without_a_500(sclient, me, post):
    r = sclient.post("/me/profile/", {k: v.replace("\x00", "") for k, v in post.items()})
    assert r.status_code in (302, 404)
