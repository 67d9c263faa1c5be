"""Load test: the shortlist page and the scores (shortlist) API of one job with 100k stored scores,
served by gunicorn (3 sync workers by default, as docker/compose.yml and the Dockerfile start) on
127.0.0.1, hit by N concurrent clients for a bounded time.

    .venv/bin/python bench/load.py --db postgres://postgres@127.0.0.1:5432/tsumiki_load \
        --scores 100000 --clients 50 --duration 30

Steps: create the database if missing, migrate, seed one organization, a recruiter (with a session),
an API key, a job with 3 required skills and N candidates with one finished run of N scores (bulk SQL,
seconds; with ``--credentials K`` each candidate also holds K credentials from 60 issuers), collect
static files, optionally measure the web process's CPU per request in process
(``--cpu-requests``), start gunicorn with the production settings and the shared Redis cache of
``--cache-url`` (the shortlist cache, apps.matching.shortlist_cache; ``--cache-url ''``: none, so no
shortlist cache), wait until its workers have finished their warm start (the skill model each loads
as it starts) and are idle, then drive each endpoint with a closed-loop client (each connection sends
its next request when the previous answered, plus ``--think`` seconds), over one URL or, with
``--pages N``, N of them in turn.

The client (``--client``) is wrk by default: C, driven by a Lua script this file writes to a temporary
file, it takes a few per cent of a core where the Python asyncio client (``--client asyncio``, the
client of the figures recorded before it) takes a large share of the two cores it shares with the
server. Both count as errors every status but 200 and every socket error or timeout; a connection
the server closes after a complete response (gunicorn's sync workers always do) is not an error.

Prints, per endpoint, p50/p95/p99 latency, throughput, errors, the gunicorn processes' and the
client's CPU per request (from /proc and getrusage: what the server and the client cost, whatever else
runs on the machine) and the 1-minute load average. Loopback only; every phase is bounded in time.
Figures are recorded in docs/benchmarks.md ("Load").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def log(msg: str) -> None:
    print(f"[load] {msg}", file=sys.stderr, flush=True)


# ---- database -----------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')  # noqa: S608 - name from the operator's --db URL


def django_env(db: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        **extra,
    }


SEED = r"""
import json, os, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string
SessionStore = import_string(settings.SESSION_ENGINE + ".SessionStore")
from django.db import connection, transaction
from apps.accounts.models import Membership, Organization, Role
from apps.accounts.services import api_key_create
from apps.jobs.models import Job, RequiredSkill
from apps.matching.models import MatchRun, RunStatus
from apps.skills.models import Phrase
from django.utils import timezone

n, creds = int(sys.argv[1]), int(sys.argv[2])
org, _ = Organization.objects.get_or_create(slug="load", defaults={"name": "Load test"})
User = get_user_model()
user = User.objects.filter(username="load-recruiter").first()
user = user or User.objects.create_user("load-recruiter", password=None)
Membership.objects.get_or_create(user=user, organization=org, defaults={"role": Role.RECRUITER})
_, raw_key = api_key_create(organization=org, scopes=["read"], name="load test")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
# what login() stores: the backend that authenticated the user (axes' backend only guards the login)
from django.utils.module_loading import import_string
session["_auth_user_backend"] = next(
    b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user")
)
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()

with transaction.atomic(), connection.cursor() as cur:
    cur.execute("SELECT id FROM jobs_job WHERE organization_id = %s AND external_id = 'load-job'", [org.pk])
    row = cur.fetchone()
    if row:
        job_id = row[0]
        cur.execute("SELECT id FROM matching_matchrun WHERE job_id = %s AND status = 'succeeded'", [job_id])
        run_id = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM matching_matchscore WHERE run_id = %s", [run_id])
        have = cur.fetchone()[0]
    else:
        have = 0
    org_creds = ("SELECT cr.id FROM credentials_credential cr JOIN candidates_candidate c ON c.id = cr.candidate_id "
                 "WHERE c.organization_id = %s")
    cur.execute(f"SELECT count(*) FROM ({org_creds}) x", [org.pk])
    if have != n or cur.fetchone()[0] != n * creds:
        cur.execute(f"DELETE FROM credentials_credentialskill WHERE credential_id IN ({org_creds})", [org.pk])
        cur.execute(f"DELETE FROM credentials_credential WHERE id IN ({org_creds})", [org.pk])
    if have != n:
        cur.execute("DELETE FROM matching_matchscore WHERE run_id IN "
                    "(SELECT id FROM matching_matchrun WHERE organization_id = %s)", [org.pk])
        cur.execute("DELETE FROM matching_matchrun WHERE organization_id = %s", [org.pk])
        cur.execute("DELETE FROM jobs_requiredskill WHERE job_id IN "
                    "(SELECT id FROM jobs_job WHERE organization_id = %s)", [org.pk])
        cur.execute("DELETE FROM jobs_job WHERE organization_id = %s", [org.pk])
        cur.execute("DELETE FROM candidates_candidate WHERE organization_id = %s", [org.pk])
        # Small rows through the ORM (column defaults stay right as the models grow); the 2 x n rows in SQL.
        job = Job.objects.create(organization=org, external_id="load-job", title="Data analyst (load test)")
        job_id = job.pk
        for pos, (name, weight, must) in enumerate([("SQL", 2.0, True), ("Python programming", 1.0, False),
                                                    ("data visualisation", 1.0, False)]):
            phrase, _ = Phrase.objects.get_or_create(text=name.lower())
            RequiredSkill.objects.create(job=job, phrase=phrase, name=name, weight=weight, must_have=must,
                                         position=pos)
        cur.execute(
            "INSERT INTO candidates_candidate (organization_id, external_id, name, email, consent_given, "
            "created_at, updated_at) SELECT %s, 'c-' || g, 'Candidate ' || g, '', true, now(), now() "
            "FROM generate_series(1, %s) g", [org.pk, n])
        now = timezone.now()
        run = MatchRun.objects.create(organization=org, job=job, status=RunStatus.SUCCEEDED, progress=1.0, pool_size=n,
                                      model_name="all-MiniLM-L6-v2", model_version="load", started_at=now,
                                      finished_at=now)
        run_id = run.pk
        explanation = json.dumps({
            "matches": [
                {"required": "SQL", "matched": "sql", "source": "verified", "credential": "SQL for Analysts",
                 "credential_id": None, "issuer": "Open Data Academy", "similarity": 1.0, "credit": 1.0},
                {"required": "Python programming", "matched": "python", "source": "self",
                 "credential": "self-declared", "credential_id": None, "issuer": "", "similarity": 0.83,
                 "credit": 0.45},
            ],
            "missing": ["data visualisation"], "must_have_missing": [],
        })
        # Scores descending with the candidate id, one score per candidate of the organization (ranks are
        # counted from the run's order when read).
        cur.execute(
            "INSERT INTO matching_matchscore (run_id, candidate_id, score, must_have_met, verified_share, "
            "explanation, covered_skills, blind_code, must_haves_covered) "
            "SELECT %s, c.id, "
            "100.0 - (row_number() OVER (ORDER BY c.id)) * 100.0 / %s, "
            "true, 0.6, %s::jsonb, '|sql|python programming|', upper(substr(md5(c.id::text), 1, 6)), 1 "
            "FROM candidates_candidate c WHERE c.organization_id = %s",
            [run_id, n, explanation, org.pk])
    cur.execute(f"SELECT count(*) FROM ({org_creds}) x", [org.pk])
    if creds and cur.fetchone()[0] != n * creds:
        # --credentials: each candidate holds that many credentials from 60 issuers, so that the reads which
        # grow with the pool's credentials (the issuer filter's choices) cost what they would in a real pool
        from apps.credentials.models import Issuer
        issuers = [Issuer.objects.get_or_create(name=f"Load issuer {k:02d}", identifier=f"urn:load:{k}")[0].pk
                   for k in range(60)]
        cur.execute(
            "INSERT INTO credentials_credential (kind, title, level_framework, verification_status, "
            "verification_checks, format, created_at, candidate_id, issuer_id, external_id, level_source) "
            "SELECT 'microcredential', 'Credential ' || k, '', 'verified', '[]'::jsonb, 'manual', now(), c.id, "
            "(%s::bigint[])[1 + (c.id * 7 + k) %% 60], '', '' "
            "FROM candidates_candidate c, generate_series(1, %s) k WHERE c.organization_id = %s",
            [issuers, creds, org.pk])
    cur.execute("ANALYZE")
print(json.dumps({"job_id": job_id, "api_key": raw_key, "session": session.session_key}))
"""


def run_script(code: str, args: list, *, env: dict, timeout: int, what: str) -> str:
    """The stdout of ``code`` run by a fresh Python in the project (``args`` as its argv); on failure the
    bench stops, saying ``what`` failed and the end of its stderr."""
    out = subprocess.run(
        [PY, "-c", code, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if out.returncode:
        sys.exit(f"{what} failed:\n{out.stderr[-4000:]}")
    return out.stdout


def seed(db: str, n: int, secret_key: str, credentials: int = 0) -> dict:
    started = time.perf_counter()
    # The same secret key as the server: session data are signed with it.
    env = django_env(db, DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_SECRET_KEY=secret_key)
    out = run_script(SEED, [n, credentials], env=env, timeout=900, what="seeding")
    log(f"seeded {n} scores in {time.perf_counter() - started:.1f}s")
    return json.loads(out.strip().splitlines()[-1])


# ---- CPU per request, in process ------------------------------------------------------------------

CPU = r"""
import io, json, sys, time
import django
django.setup()
from config.wsgi import application
from apps.skills import warmup

# the WSGI module starts loading the skill model in a thread of this process; process_time counts every
# thread, so measure once it is done (a gunicorn worker serves its load after it, too)
deadline = time.monotonic() + 600
while warmup.state().status == "loading" and time.monotonic() < deadline:
    time.sleep(0.5)

job, session, key, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
targets = {
    "shortlist page": (f"/jobs/{job}/shortlist/", {"HTTP_COOKIE": f"sessionid={session}"}),
    "scores API": (f"/api/v1/jobs/{job}/shortlist/", {"HTTP_AUTHORIZATION": f"Bearer {key}",
                                                     "HTTP_ACCEPT": "application/json"}),
}

def get(path, headers):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http", **headers}
    status = []
    body = application(environ, lambda s, h, e=None: status.append(s))
    b"".join(body)
    body.close()
    assert status[0].startswith("200"), status

for label, (path, headers) in targets.items():
    for _ in range(20):  # warm: connections, templates, the cache entry
        get(path, headers)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        get(path, headers)
    print(json.dumps({"endpoint": label, "requests": n,
                      "cpu_ms_per_request": round(1000 * (time.process_time() - cpu) / n, 2),
                      "wall_ms_per_request": round(1000 * (time.perf_counter() - wall) / n, 2)}), flush=True)
"""


def cpu_per_request(db: str, info: dict, n: int, secret_key: str, cache_url: str) -> list[dict]:
    """The Django process's CPU time per request, one request at a time through the WSGI application in
    this machine's process (no HTTP, no client): what one request costs the web worker, apart from
    PostgreSQL, Redis and the load client."""
    env = django_env(
        db,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        TSUMIKI_API_RATE="100000000/minute",
        TSUMIKI_CACHE_URL=cache_url,
        TSUMIKI_INPROCESS_TASKS="true",
        # the shortlist needs no skill model: nothing to load first, nothing loading while it measures
        TSUMIKI_WARM_START="false",
    )
    env.pop("CELERY_BROKER_URL", None)
    env.pop("TSUMIKI_CACHE_URL_FILE", None)
    out = run_script(
        CPU, [info["job_id"], info["session"], info["api_key"], n], env=env, timeout=600, what="CPU measurement"
    )
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


# ---- server -------------------------------------------------------------------------------------


def collectstatic(db: str) -> None:
    """The manifest of hashed static files that the production settings render pages with (the CPU
    measurement renders pages too, so this comes first)."""
    env = django_env(
        db,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),  # not used: nothing is signed
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        TSUMIKI_INPROCESS_TASKS="true",  # no broker here: the production settings refuse to start without
    )
    env.pop("CELERY_BROKER_URL", None)
    env.pop("TSUMIKI_CACHE_URL_FILE", None)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    db: str, port: int, workers: int, secret_key: str, threads: int = 1, cache_url: str = ""
) -> subprocess.Popen:
    env = django_env(
        db,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        TSUMIKI_API_RATE="100000000/minute",  # the benchmark measures serving, not the per-key rate limit
        # the shared cache (config.cache): rate-limit counters and the shortlist cache; empty: neither shared
        TSUMIKI_CACHE_URL=cache_url,
        TSUMIKI_INPROCESS_TASKS="true",  # no broker: the pages read, they start no task
    )
    env.pop("CELERY_BROKER_URL", None)
    env.pop("TSUMIKI_CACHE_URL_FILE", None)
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            # --threads above 1 makes gunicorn use its gthread worker class
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    sys.exit("gunicorn did not start")


# ---- CPU accounting -----------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of stat)


def server_cpu(master: int) -> dict[int, float]:
    """CPU seconds of the gunicorn master and each of its workers, by pid (empty off Linux)."""
    if not Path("/proc").is_dir():
        return {}
    pids = {master}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    pids.add(int(d.name))
            except (OSError, IndexError, ValueError):
                continue
    return {pid: _proc_cpu(pid) for pid in pids}


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float | None:
    """CPU the same processes spent between two ``server_cpu`` samples; None if a worker was replaced."""
    if not before or set(before) != set(after):
        return None
    return sum(after[p] - before[p] for p in before)


def children_cpu() -> float:
    """CPU seconds of this process's finished children (the wrk runs)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def wait_until_idle(master: int, workers: int, *, timeout: float = 600.0, window: float = 3.0) -> float:
    """Wait until every gunicorn worker has finished its warm start (apps.skills.warmup: each loads the
    encoder in a thread as it starts, tens of seconds of CPU on a busy machine) and the server is idle:
    all workers up and together under 5 % of a core over ``window`` seconds. Measuring before that
    counts the model loading in the latency and the server CPU (production serves its load after it).
    Returns the seconds waited; exits when ``timeout`` passes first. Off Linux (no /proc): no wait."""
    if not Path("/proc").is_dir():
        return 0.0
    started = time.monotonic()
    prev = server_cpu(master)
    while time.monotonic() - started < timeout:
        time.sleep(window)
        now = server_cpu(master)
        spent = cpu_delta(prev, now)
        if len(now) == workers + 1 and spent is not None and spent < 0.05 * window:
            return time.monotonic() - started
        prev = now
    sys.exit(f"gunicorn's workers were still busy after {timeout:.0f}s (warm start)")


# ---- clients ------------------------------------------------------------------------------------
# Two closed-loop clients drive the same URLs with the same headers: each of N connections sends its
# next request when the previous answered (plus ``--think``), over a fresh connection each time
# (gunicorn's sync workers close after every response), for a bounded time, on the loopback only.
# Both report the client's own CPU per request: it runs on the same two cores as the server.


async def fetch(port: int, path: str, headers: dict[str, str], timeout: float) -> tuple[int, int]:
    """One GET over a fresh connection (gunicorn's sync workers close after each response)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        writer.write((head + "\r\n").encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
        return status, len(data)
    finally:
        writer.close()


async def drive(
    port: int,
    path: str,
    headers: dict[str, str],
    *,
    clients: int,
    duration: float,
    think: float,
    warmup: float,
    timeout: float = 30.0,
    pages: list[str] | None = None,
    server_pid: int | None = None,
) -> dict:
    """The asyncio client. With ``pages`` the clients walk through those query strings in turn instead of
    asking for ``path`` alone."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    measure_from = time.perf_counter() + warmup
    stop = measure_from + duration
    sent = 0
    samples: dict[str, tuple[dict[int, float], float]] = {}

    async def sampler() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        samples["start"] = (server_cpu(server_pid) if server_pid else {}, time.process_time())
        await asyncio.sleep(max(0.0, stop - time.perf_counter()))
        samples["stop"] = (server_cpu(server_pid) if server_pid else {}, time.process_time())

    async def client() -> None:
        nonlocal sent
        while (now := time.perf_counter()) < stop:
            t0 = now
            target = path + (pages[sent % len(pages)] if pages else "")
            sent += 1
            try:
                status, _ = await fetch(port, target, headers, timeout)
                err = None if status == 200 else f"HTTP {status}"
            except (OSError, TimeoutError, ValueError) as e:
                err = type(e).__name__
            t1 = time.perf_counter()
            if t0 >= measure_from and t1 <= stop + timeout:
                if err:
                    errors[err] = errors.get(err, 0) + 1
                else:
                    latencies.append(t1 - t0)
            if think:
                await asyncio.sleep(think)

    await asyncio.gather(sampler(), *(client() for _ in range(clients)))
    elapsed = max(time.perf_counter() - measure_from, 1e-9)
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) >= 2 else [float("nan")] * 99
    (srv0, cli0), (srv1, cli1) = samples["start"], samples["stop"]
    return {
        "path": path,
        "clients": clients,
        "think_s": think,
        "duration_s": round(elapsed, 1),
        "requests": len(latencies),
        "errors": errors,
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * q[49], 1),
        "p95_ms": round(1000 * q[94], 1),
        "p99_ms": round(1000 * q[98], 1),
        "max_ms": round(1000 * max(latencies), 1) if latencies else None,
        **_cpu_figures(cpu_delta(srv0, srv1), cli1 - cli0, len(latencies)),
    }


def _cpu_figures(server_s: float | None, client_s: float, requests: int) -> dict:
    n = max(requests, 1)
    return {
        # gunicorn (master + workers: HTTP parsing and Django) per answered request, measured window only
        "server_cpu_ms_per_request": round(1000 * server_s / n, 2) if server_s is not None else None,
        "client_cpu_ms_per_request": round(1000 * client_s / n, 2),
    }


# wrk's Lua script. wrk counts only statuses above 399 as errors, so every response's status is looked at
# here (a redirect to the login page is an error too); response() makes wrk buffer each body, a small
# cost beside the asyncio client's. done() runs in wrk's main Lua state and sums the threads' counters.
WRK_SCRIPT = r"""
local threads = {}
local paths = {PATHS}
local think_ms = {THINK_MS}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  statuses = {}
  requests_ = {}
  for i, p in ipairs(paths) do requests_[i] = wrk.format("GET", p) end
  sent = 0
end

if #paths > 1 then
  function request()
    sent = sent + 1
    return requests_[(sent - 1) % #requests_ + 1]
  end
end

if think_ms > 0 then
  function delay()
    return think_ms
  end
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    local k = tostring(status)
    statuses[k] = (statuses[k] or 0) + 1
  end
end

function done(summary, latency, requests)
  local non200_all, by_status = 0, {}
  for _, t in ipairs(threads) do
    non200_all = non200_all + t:get("non200")
    for k, v in pairs(t:get("statuses")) do by_status[k] = (by_status[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(by_status) do parts[#parts + 1] = string.format('"%s": %d', k, v) end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "throughput_rps": %.1f, ' ..
    '"non_200": %d, "statuses": {%s}, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    non200_all, table.concat(parts, ", "), e.connect, e.read, e.write, e.timeout,
    latency:percentile(50.0), latency:percentile(95.0), latency:percentile(99.0), latency.max))
end
"""


def _lua_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_run(
    port: int,
    paths: list[str],
    headers: dict[str, str],
    *,
    clients: int,
    duration: float,
    think: float,
    threads: int,
    timeout: float,
    script: Path,
) -> tuple[dict, str]:
    """One bounded wrk run; returns the parsed WRK_RESULT and wrk's own output."""
    script.write_text(
        WRK_SCRIPT.replace("{PATHS}", "{" + ", ".join(map(_lua_string, paths)) + "}").replace(
            "{THINK_MS}", str(round(think * 1000))
        )
    )
    cmd = [
        "wrk",
        "--latency",
        "-t",
        str(threads),
        "-c",
        str(clients),
        "-d",
        f"{max(1, round(duration))}s",
        "--timeout",
        f"{round(timeout)}s",
        "-s",
        str(script),
        "-H",
        "Connection: close",
    ]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(f"http://127.0.0.1:{port}{paths[0]}")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + timeout + 60, check=False)
    if out.returncode:
        sys.exit(f"wrk failed ({out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRK_RESULT ")), None)
    if line is None:
        sys.exit(f"wrk printed no result:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return json.loads(line.removeprefix("WRK_RESULT ")), out.stdout


def drive_wrk(
    port: int,
    path: str,
    headers: dict[str, str],
    *,
    clients: int,
    duration: float,
    think: float,
    warmup: float,
    threads: int = 1,
    timeout: float = 30.0,
    pages: list[str] | None = None,
    server_pid: int | None = None,
) -> dict:
    """The wrk client: a warm-up run, then the measured run. Errors: any status but 200 (the Lua script),
    socket connect/read/write errors and timeouts. A connection the server closes after a complete
    response (``Connection: close``) is not an error: wrk opens the next one."""
    paths = [path + q for q in pages] if pages else [path]
    with tempfile.TemporaryDirectory(prefix="tsumiki-wrk-") as tmp:
        script = Path(tmp) / "load.lua"
        if warmup > 0:
            wrk_run(
                port,
                paths,
                headers,
                clients=clients,
                duration=warmup,
                think=think,
                threads=threads,
                timeout=timeout,
                script=script,
            )
        srv0, cli0 = server_cpu(server_pid) if server_pid else {}, children_cpu()
        r, _raw = wrk_run(
            port,
            paths,
            headers,
            clients=clients,
            duration=duration,
            think=think,
            threads=threads,
            timeout=timeout,
            script=script,
        )
        srv1, cli1 = server_cpu(server_pid) if server_pid else {}, children_cpu()
    errors = {f"HTTP {k}": v for k, v in r["statuses"].items()}
    for kind in ("connect_errors", "read_errors", "write_errors", "timeouts"):
        if r[kind]:
            errors[kind] = r[kind]
    ok = r["requests"] - r["non_200"]
    elapsed = r["duration_us"] / 1e6
    return {
        "path": path,
        "clients": clients,
        "think_s": think,
        "duration_s": round(elapsed, 1),
        "requests": ok,
        "errors": errors,
        "throughput_rps": round(ok / elapsed, 1),
        "p50_ms": round(r["p50_us"] / 1000, 1),
        "p95_ms": round(r["p95_us"] / 1000, 1),
        "p99_ms": round(r["p99_us"] / 1000, 1),
        "max_ms": round(r["max_us"] / 1000, 1),
        **_cpu_figures(cpu_delta(srv0, srv1), cli1 - cli0, ok),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/tsumiki_load")
    ap.add_argument("--scores", type=int, default=100_000)
    ap.add_argument(
        "--credentials",
        type=int,
        default=0,
        help="credentials per candidate (from 60 issuers); 0 (default): candidates hold none",
    )
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=30.0, help="measured seconds per endpoint (max 120)")
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--think", type=float, default=0.0, help="seconds each client waits between requests")
    ap.add_argument(
        "--client",
        choices=("wrk", "asyncio"),
        default="wrk",
        help="load client: wrk (C, default: little CPU taken from the server's cores) or the Python "
        "asyncio client (the figures in docs/benchmarks.md before the wrk client)",
    )
    ap.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (1 or 2)")
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gunicorn's gthread workers)")
    ap.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/3",
        help="the server's shared cache (TSUMIKI_CACHE_URL, Redis); '' for none, which also turns the "
        "shortlist cache off",
    )
    ap.add_argument(
        "--cpu-requests",
        type=int,
        default=0,
        help="first measure the web process's CPU per request in process over this many requests "
        "per endpoint (0: skip)",
    )
    ap.add_argument(
        "--pages",
        type=int,
        default=1,
        help="walk through the first N pages of the shortlist (default 1: always the first page)",
    )
    ap.add_argument(
        "--endpoints",
        default="page,api",
        help="which to drive, comma-separated: page, api, health (the liveness probe: the stack's floor); "
        "default page,api",
    )
    ap.add_argument("--skip-migrate", action="store_true")
    ap.add_argument(
        "--skip-load",
        action="store_true",
        help="stop after the in-process CPU measurement (--cpu-requests): no server, no load client",
    )
    args = ap.parse_args()
    if urlsplit(args.db).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback databases only")
    if args.client == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk), or use --client asyncio")
    if not 1 <= args.wrk_threads <= 2:
        sys.exit("--wrk-threads: 1 or 2 (the server has two cores)")
    duration = min(args.duration, 120.0)

    ensure_database(args.db)
    if not args.skip_migrate:
        subprocess.run(
            [PY, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=django_env(args.db, DJANGO_SETTINGS_MODULE="config.settings.local"),
            check=True,
            timeout=600,
        )
    secret_key = secrets.token_urlsafe(50)
    info = seed(args.db, args.scores, secret_key, args.credentials)
    collectstatic(args.db)
    if args.cpu_requests:
        for r in cpu_per_request(args.db, info, args.cpu_requests, secret_key, args.cache_url):
            r["cache"] = "shared" if args.cache_url else "none"
            r["loadavg_1m_end"] = round(os.getloadavg()[0], 2)
            print(json.dumps(r), flush=True)
    if args.skip_load:
        return
    port = free_port()
    server = start_gunicorn(args.db, port, args.workers, secret_key, args.threads, args.cache_url)
    waited = wait_until_idle(server.pid, args.workers)
    log(f"gunicorn's workers finished their warm start in {waited:.0f}s")
    log(
        f"gunicorn: {args.workers} workers x {args.threads} threads, cache {args.cache_url or 'none'}; "
        f"load average {os.getloadavg()}"
    )
    job = info["job_id"]
    pages = [f"?page={i}" for i in range(1, args.pages + 1)] if args.pages > 1 else None
    # the API pages by cursor: its page N is reached through the links, so it walks page sizes instead
    api_pages = [f"?page_size={50 + i}" for i in range(args.pages)] if args.pages > 1 else None
    targets = [
        ("shortlist page", "page", f"/jobs/{job}/shortlist/", {"Cookie": f"sessionid={info['session']}"}, pages),
        (
            "scores API",
            "api",
            f"/api/v1/jobs/{job}/shortlist/",
            {"Authorization": f"Bearer {info['api_key']}", "Accept": "application/json"},
            api_pages,
        ),
        # the floor under both: gunicorn, the middleware stack and a JSON answer, no session, no database
        ("liveness probe", "health", "/healthz", {}, None),
    ]
    wanted = {e.strip() for e in args.endpoints.split(",")}
    results = []
    try:
        for label, name, path, headers, walk in targets:
            if name not in wanted:
                continue
            log(
                f"{label}: {args.client} client, {args.clients} connections, {duration:.0f}s "
                f"(+{args.warmup:.0f}s warm-up), think {args.think}s, {len(walk or [''])} distinct URL(s); "
                f"load average {os.getloadavg()[0]:.2f}"
            )
            common = dict(
                clients=args.clients,
                duration=duration,
                think=args.think,
                warmup=args.warmup,
                pages=walk,
                server_pid=server.pid,
            )
            if args.client == "wrk":
                r = drive_wrk(port, path, headers, threads=args.wrk_threads, **common)
            else:
                r = asyncio.run(drive(port, path, headers, **common))
            r["endpoint"] = label
            r["client"] = args.client
            r["distinct_urls"] = len(walk or [""])
            r["cache"] = "shared" if args.cache_url else "none"
            r["workers"] = args.workers
            # 1-minute load average at the end (includes this benchmark's own server, client and database)
            r["loadavg_1m_end"] = round(os.getloadavg()[0], 2)
            results.append(r)
            print(json.dumps(r), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print()
    print(
        "| endpoint | client | workers | cache | URLs | clients | think | requests | errors | throughput (req/s) "
        "| p50 ms | p95 ms | p99 ms | server CPU ms/req | client CPU ms/req | load avg (1 min, end) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        errs = sum(r["errors"].values())
        print(
            f"| {r['endpoint']} | {r['client']} | {r['workers']} | {r['cache']} | {r['distinct_urls']} | "
            f"{r['clients']} | {r['think_s']} s | {r['requests']} | {errs} | {r['throughput_rps']} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['p99_ms']} | {r['server_cpu_ms_per_request']} | {r['client_cpu_ms_per_request']} | "
            f"{r['loadavg_1m_end']} |"
        )


if __name__ == "__main__":
    main()
