"""Match runs, scores with per-skill explanations, shortlist decisions, reveal logs and employer
assessments (scorecards)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class RunKind(models.TextChoices):
    MATCH = "match", "Full match"
    RESCORE = "rescore", "Rescore after new evidence"


class MatchRun(models.Model):
    """One scoring of a job against its organization's pool. ``parameters`` stores every number that
    shaped the scores (model, thresholds, strengths, as-of date) so a run can be explained later."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="match_runs")
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="match_runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0..1")
    pool_size = models.PositiveIntegerField(default=0)
    parameters = models.JSONField(default=dict)
    model_name = models.CharField(max_length=200, blank=True)
    model_version = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="last sign of life from a worker")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A finished run is a snapshot: when new evidence rescores a candidate, the ranking that results is a
    # new run based on the one the recruiter was reading (services.candidate_rescore), never an edit of it.
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="the finished run this one copied and updated after new evidence; empty for a full match",
    )
    # A rescore run writes only the rows that changed: it reads ``rows_from``'s rows as they stood at its
    # own id (MatchScore.valid_from / valid_until are run ids), so one candidate's new evidence costs a
    # row per open run, not a copy of every run. Empty for a full match (and for rescore runs written
    # before this, which hold copies of every row).
    rows_from = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="the full run whose rows this rescore run reads, with its own changes",
    )
    kind = models.CharField(max_length=10, choices=RunKind.choices, default=RunKind.MATCH)
    rescored_candidates = models.JSONField(
        default=list, blank=True, help_text="ids of the candidates rescored since based_on (empty for a full match)"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["job", "-created_at"])]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.job_id} ({self.status})"

    def rows(self) -> models.QuerySet[MatchScore]:
        """This run's scores, one per candidate (apps.matching.selectors.run_rows): for a rescore run, its
        full run's rows as they stood when it was written. A method, for the layers below matching."""
        from .selectors import run_rows

        return run_rows(self)

    def rank_of(self, candidate_id: int, *, version: int | None = None) -> int | None:
        """The candidate's rank in this run (1 = best), counted from the run's order (ranks are not
        stored: apps.matching.selectors.ranks_of); None when the run holds no score for them. ``version``:
        the id of a rescore run that reads this run's rows, to rank as that run does. A method, so that
        layers below matching (data exports, webhooks) can ask through the relation."""
        from .selectors import ranks_of

        run = self
        if version is not None and version != self.id:
            run = MatchRun(id=version, rows_from_id=self.id, parameters=self.parameters)
        return ranks_of(run=run, candidate_ids=[candidate_id]).get(int(candidate_id))


class ChunkStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class MatchChunk(models.Model):
    """A slice of a run's pool (candidate ids lo..hi) scored by one task; re-running a chunk rewrites
    exactly its own scores, so a retried or duplicated task changes nothing."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    lo_candidate_id = models.BigIntegerField()
    hi_candidate_id = models.BigIntegerField()
    size = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ChunkStatus.choices, default=ChunkStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    # written every TSUMIKI_HEARTBEAT_SECONDS while a worker scores the chunk (apps.core.heartbeat); a
    # running chunk whose heartbeat is older than TSUMIKI_CHUNK_STALE_SECONDS lost its worker, and the
    # sweeper (services.match_runs_sweep) sends it again. While queued: when it was last (re-)sent.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="the worker that last took the chunk")

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="uniq_run_chunk")]

    def __str__(self) -> str:
        return f"chunk {self.index} of run {self.run_id} ({self.status})"


class MatchScore(models.Model):
    """A candidate's score in a run with the per-skill explanation (see apps.matching.engine)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="match_scores")
    # No stored rank: a run's order is its index below (kernel.rank_order: must-haves met, score, candidate
    # id), and a row's rank is counted from it when read (apps.matching.selectors.ranks_of). Writing ranks
    # meant rewriting every row of a run once its chunks were done, serially, and again on every rescore.
    score = models.FloatField()
    must_have_met = models.BooleanField()
    verified_share = models.FloatField(default=0.0, help_text="share of the score backed by verified credentials")
    explanation = models.JSONField(default=dict)
    # "|sql|python|": the required skills covered (credit at least apps.matching.coverage.COVERED_AT),
    # so "has skill X" filters in SQL on every backend
    covered_skills = models.TextField(blank=True, default="")
    # what the shortlist shows and sorts by besides rank and score (services._score_row)
    blind_code = models.CharField(
        max_length=9, blank=True, default="", help_text="stable per job and candidate (apps.matching.blind)"
    )
    must_haves_covered = models.PositiveSmallIntegerField(default=0)
    # Versions, as run ids: the row belongs to the runs reading ``run`` whose id is at least ``valid_from``
    # (empty: from ``run`` itself) and below ``valid_until`` (empty: still current). A rescore closes the
    # candidate's current row and adds one from the new run on; earlier runs still read the old row.
    valid_from = models.BigIntegerField(null=True, blank=True)
    valid_until = models.BigIntegerField(null=True, blank=True)
    freshest_evidence = models.DateField(null=True, blank=True, help_text="newest date among the evidence used")

    # set by apps.matching.selectors.ranks_attach on rows read for display; None until then
    rank: int | None = None

    class Meta:
        ordering = ["run_id", "-must_have_met", "-score", "candidate_id"]
        # one current row per candidate and run; rows a rescore closed (valid_until) stay for older runs
        constraints = [
            models.UniqueConstraint(
                fields=["run", "candidate"], condition=models.Q(valid_until__isnull=True), name="uniq_run_candidate"
            )
        ]
        # the default order of a run (MatchParams.must_have_first): pages and rank counts walk this index
        indexes = [
            models.Index(fields=["run", "-must_have_met", "-score", "candidate"], name="score_run_order"),
            models.Index(fields=["run", "candidate"], name="score_run_candidate"),
            # the rows rescores wrote (a few per run): what pruning old rescore runs looks through
            models.Index(fields=["run"], condition=models.Q(valid_from__isnull=False), name="score_rescored_rows"),
        ]

    def __str__(self) -> str:
        return f"{self.score:.1f} (run {self.run_id}, candidate {self.candidate_id})"


class Decision(models.TextChoices):
    SHORTLIST = "shortlist", "Shortlisted"
    REJECT = "reject", "Rejected"
    CONTACT = "contact", "Contacted"


class PipelineStage(models.Model):
    """One step of an organization's hiring pipeline (New, Shortlisted, ... Hired, Rejected), in the
    order its admins set. Moving a candidate to a stage records a ShortlistDecision whose ``decision``
    is the stage's ``decision``: what the move means for the adverse-impact report and the API (blank
    for a stage that means "no decision yet", such as New). A stage whose decision is a rejection
    requires a reason, so every rejection can be reviewed later."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="pipeline_stages")
    name = models.CharField(max_length=60)
    position = models.PositiveIntegerField(default=0)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization_id})"

    @property
    def requires_reason(self) -> bool:
        return self.decision == Decision.REJECT


class ShortlistDecision(models.Model):
    """A recruiter's decision about a candidate for a job; always a human act, never automatic. Since
    decisions are pipeline moves, ``stage`` is where the candidate was moved and ``stage_name`` the
    stage's name then (kept when the stage is later renamed or removed); ``decision`` is the stage's
    meaning, as before stages existed."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="decisions")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    stage = models.ForeignKey(PipelineStage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    stage_name = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.decision} candidate {self.candidate_id} for job {self.job_id}"


class CandidateNote(models.Model):
    """A recruiter's note about a candidate for a job, with its author and time. Notes are for the
    organization's recruiters only; they are part of the candidate's data export and erased with them."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="candidate_notes")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"note on candidate {self.candidate_id} for job {self.job_id}"


class RevealLog(models.Model):
    """Who revealed a candidate's identity (name, degrees) in the degree-blind shortlist, and when."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"reveal of candidate {self.candidate_id} by {self.user_id}"


class AssessmentMethod(models.TextChoices):
    STRUCTURED_INTERVIEW = "structured interview", "Structured interview"
    WORK_SAMPLE = "work sample", "Work sample"
    EXAM = "exam", "Exam"


class AssessmentOrigin(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    IMPORT = "import", "Imported"


class Assessment(models.Model):
    """An employer's scorecard line: how a candidate did on one skill in a structured interview, a
    work sample or an exam, scored 0..1 by a named assessor on a date. It is evidence at the engine's
    "assessment" strength scaled by the score, for ``job`` only, or for every job of the
    organization when ``job`` is empty (the recruiter's choice when recording it).

    ``origin`` says how the line arrived: recorded by a person (the panel, the API's scorecard
    endpoint) or brought by an interchange document. A later import of the candidate replaces only
    the lines an import brought, so a recruiter's organization-wide scorecard outlives re-imports."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="assessments")
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="the job it counts for; empty: every job of the organization",
    )
    phrase = models.ForeignKey("skills.Phrase", on_delete=models.PROTECT, related_name="+")
    skill = models.CharField(max_length=500, help_text="the skill assessed, in the assessor's words")
    method = models.CharField(max_length=30, choices=AssessmentMethod.choices)
    score = models.FloatField(help_text="0 (not shown) to 1 (fully shown)")
    assessor = models.CharField(max_length=200, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=10, choices=AssessmentOrigin.choices, default=AssessmentOrigin.RECORDED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0.0, score__lte=1.0), name="assessment_score_0_1")
        ]

    def __str__(self) -> str:
        return f"{self.skill}: {self.score:.2f} ({self.method})"


class SavedSearch(models.Model):
    """A recruiter's talent-pool search kept by name (apps.matching.pool_search.PoolQuery in ``query``).
    ``seen_ids`` holds the candidates in its result at the owner's last visit, so that the next visit
    can show who entered the result since ``last_viewed_at``."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="saved_searches")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=120)
    query = models.JSONField(default=dict)
    seen_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_owner_name")]

    def __str__(self) -> str:
        return f"saved search {self.name!r} of user {self.owner_id}"
