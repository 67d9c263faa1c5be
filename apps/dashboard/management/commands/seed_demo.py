"""``seed_demo``: a realistic demo: the ESCO subset, a catalog, two organizations with users, jobs,
about 300 candidates with credentials, and a finished match run per job.

Idempotent: when the demo is already complete it does nothing (so ``make run`` can call it every
time and a demo's shortlist decisions survive restarts); ``--reset`` wipes the two demo
organizations (their jobs, candidates, runs, decisions) and the demo users, then recreates them.
An incomplete demo (an earlier run interrupted) is always recreated.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.models import Membership, Organization, Role, User
from apps.accounts.services import organization_create, user_create
from apps.candidates.models import Candidate
from apps.candidates.services import candidates_create
from apps.core.interchange import InterchangeError, parse_candidate, parse_job
from apps.credentials.catalog import CatalogError, read_catalog
from apps.credentials.models import CatalogOffering
from apps.credentials.services import catalog_import_csv
from apps.dashboard.demo import CATALOG_CSV, ESCO_DIR, JOBS_JSON
from apps.dashboard.demo.candidates import SEED, SEEKER_ID, generate_pool, seeker_doc
from apps.jobs.models import Job
from apps.jobs.services import job_create
from apps.matching.models import MatchRun, RunStatus
from apps.matching.selectors import run_order
from apps.matching.services import match_run_perform, match_run_start
from apps.skills.services import taxonomy_import

PASSWORD = "tsumiki-demo"  # noqa: S105 -- the published demo password, printed on purpose
ORGS = {"sakura-digital": "Sakura Digital", "kiwi-health": "Kiwi Health"}
POOL_SIZES = {"sakura-digital": 200, "kiwi-health": 100}
# (username, organization, role): the logins printed at the end and documented in the README.
USERS = (
    ("recruiter", "sakura-digital", Role.RECRUITER),
    ("seeker", "sakura-digital", Role.SEEKER),
    ("kiwi-recruiter", "kiwi-health", Role.RECRUITER),
)
RUN_WAIT_S = 300  # with a real broker a worker runs the match; wait this long for it


class Command(BaseCommand):
    help = "Load the demo: ESCO subset, catalog, organizations, users, jobs, ~300 candidates, match runs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="wipe the demo organizations and users and recreate them"
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=SEED,
            help="random seed for the generated candidates (with --reset to regenerate)",
        )

    def handle(self, *args, **opts):
        self.t0 = time.perf_counter()
        jobs_by_org = self._load_jobs()
        if not opts["reset"] and self._complete(jobs_by_org):
            self.stdout.write("The demo is already loaded (use --reset to recreate it).")
            self._print_logins()
            return

        rep = taxonomy_import(root=ESCO_DIR, progress=self._progress)
        self._progress(f"ESCO subset: {rep.skills_created} concepts created, {rep.phrases_embedded} phrases embedded")
        try:
            cat = catalog_import_csv(path=CATALOG_CSV)
            offerings = {o.id: o for o in read_catalog(CATALOG_CSV)}
        except CatalogError as e:
            raise CommandError(f"{CATALOG_CSV}: {e}") from e
        self._progress(f"catalog: {cat.created} offerings created, {cat.updated} updated, {cat.unchanged} unchanged")

        try:
            pools = {
                slug: [
                    parse_candidate(d)
                    for d in generate_pool(org_slug=slug, count=n, catalog=offerings, seed=opts["seed"])
                ]
                for slug, n in POOL_SIZES.items()
            }
            seeker = parse_candidate(seeker_doc(offerings))
        except (InterchangeError, ValueError) as e:
            raise CommandError(f"demo candidates are invalid: {e}") from e

        # Everything tenant-side in one transaction: an interrupted seed leaves the old demo or none.
        with transaction.atomic():
            self._wipe()
            orgs = {slug: organization_create(slug=slug, name=name) for slug, name in ORGS.items()}
            # each organization's recruiter is its admin (the pipeline settings and the audit log)
            users = {
                u: user_create(
                    username=u, password=PASSWORD, organization=orgs[o], role=r, is_admin=r == Role.RECRUITER
                )
                for u, o, r in USERS
            }
            jobs: list[Job] = []
            for slug, docs in jobs_by_org.items():
                author = next(users[u] for u, o, r in USERS if o == slug and r == Role.RECRUITER)
                jobs += [job_create(organization=orgs[slug], doc=d, created_by=author) for d in docs]
            self._progress(f"{len(jobs)} jobs created")
            for slug, docs in pools.items():
                candidates_create(organization=orgs[slug], docs=docs)
                self._progress(f"{slug}: {len(docs)} candidates created")
            candidates_create(organization=orgs["sakura-digital"], docs=[seeker], user=users["seeker"])

        # Runs start outside the transaction: match_run_start sends its task on commit, which in
        # eager mode runs it right here; with a broker a worker claims it (see _finish).
        runs = [self._finish(match_run_start(job=job, user=job.created_by)) for job in jobs]
        self._summary(orgs, runs, cat.total)

    # --- steps ---------------------------------------------------------------------------------
    def _load_jobs(self):
        try:
            raw = json.loads(JOBS_JSON.read_text(encoding="utf-8"))
            return {slug: [parse_job(j) for j in raw[slug]] for slug in ORGS}
        except (OSError, ValueError, KeyError) as e:
            raise CommandError(f"{JOBS_JSON}: {e}") from e

    def _complete(self, jobs_by_org) -> bool:
        """True when both organizations, the users and a succeeded run of every demo job exist."""
        if Organization.objects.filter(slug__in=ORGS).count() != len(ORGS):
            return False
        if Membership.objects.filter(
            user__username__in=[u for u, _, _ in USERS], organization__slug__in=ORGS
        ).count() != len(USERS):
            return False
        if not CatalogOffering.objects.exists():
            return False
        for slug, docs in jobs_by_org.items():
            have = set(
                MatchRun.objects.filter(
                    organization__slug=slug, status=RunStatus.SUCCEEDED, job__external_id__in=[d.id for d in docs]
                ).values_list("job__external_id", flat=True)
            )
            if len(have) != len(docs):
                return False
        return Candidate.objects.filter(user__username="seeker", external_id=SEEKER_ID).exists()

    def _wipe(self) -> None:
        """Delete the demo organizations (cascading to their data) and the demo users. A demo
        username held by an account outside the demo (another organization's member, a superuser)
        is never touched: the command stops instead."""
        usernames = [u for u, _, _ in USERS]
        foreign = sorted(
            set(
                Membership.objects.filter(user__username__in=usernames)
                .exclude(organization__slug__in=ORGS)
                .values_list("user__username", flat=True)
            )
        )
        foreign += sorted(
            User.objects.filter(username__in=usernames, is_superuser=True)
            .exclude(username__in=foreign)
            .values_list("username", flat=True)
        )
        if foreign:
            raise CommandError(
                f"username(s) {', '.join(foreign)} belong to accounts outside the demo "
                "(another organization, or an administrator); rename them before seeding"
            )
        User.objects.filter(username__in=usernames).delete()
        Organization.objects.filter(slug__in=ORGS).delete()

    def _finish(self, run: MatchRun) -> MatchRun:
        """Make sure ``run`` finished: execute it here unless someone (the eager task or a worker)
        already claimed it, then wait for that worker."""
        match_run_perform(run_id=run.id)  # returns None when already claimed; the claim is atomic
        deadline = time.monotonic() + RUN_WAIT_S
        run.refresh_from_db()
        while run.status in (RunStatus.QUEUED, RunStatus.RUNNING) and time.monotonic() < deadline:
            time.sleep(0.5)
            run.refresh_from_db()
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"match run {run.id} for {run.job.title!r} ended {run.status}: {run.error}")
        self._progress(f"match run {run.job.title!r}: {run.pool_size} candidates scored")
        return run

    # --- output --------------------------------------------------------------------------------
    def _progress(self, msg: str) -> None:
        self.stderr.write(f"[{time.perf_counter() - self.t0:6.1f}s] {msg}")

    def _summary(self, orgs, runs: list[MatchRun], offerings: int) -> None:
        elapsed = time.perf_counter() - self.t0
        self.stdout.write(f"Demo loaded in {elapsed:.1f}s: {offerings} catalog offerings")
        for slug, org in orgs.items():
            n_cand = Candidate.objects.filter(organization=org).count()
            self.stdout.write(f"  {org.name} ({slug}): {n_cand} candidates")
            for run in runs:
                if run.organization_id != org.id:
                    continue
                top = run.rows().order_by(*run_order(run)).values_list("score", flat=True).first()
                self.stdout.write(f"    {run.job.title}: run {run.id}, {run.pool_size} scored, best {top or 0:.1f}")
        self.stdout.write("This service uses the ESCO classification of the European Commission.")
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password {PASSWORD}):")
        for username, slug, role in USERS:
            self.stdout.write(f"  {username:15} {Role(role).label.lower():10} {ORGS[slug]}")
