"""Replay the hardening failures that outside testers found, against a live server, and print one line
per probe: PASS/FAIL, the status, the content type and what was expected.

    python bench/probe_hardening.py --base http://127.0.0.1:8000 --key-a KEY_A --key-b KEY_B \
        [--login recruiter:tsumiki-demo]

KEY_A and KEY_B are read-write API keys of two organizations (``manage.py create_api_key --org SLUG``).
Every answer must be a success or a JSON 4xx that names the problem: never a 5xx, never HTML to an API
client; after the bad requests the organization's job list must still answer 200. Exit status 1 when a
probe fails. Nothing here is specific to SQLite or PostgreSQL: run it under ``make run`` and in
services mode. Writes a few jobs and candidates (prefixed ``probe-``) to organization A and deletes
the jobs it created at the end.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from dataclasses import dataclass, field

import requests


@dataclass
class Probe:
    base: str
    key_a: str
    key_b: str
    results: list[tuple[bool, str, str]] = field(default_factory=list)
    created_jobs: list[int] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base.rstrip("/") + "/api/v1/" + path.lstrip("/")

    def call(
        self,
        method: str,
        path: str,
        *,
        key: str | None = None,
        body=None,
        raw: bytes | None = None,
        ctype: str = "application/json",
        headers: dict | None = None,
    ) -> requests.Response:
        h = {"Authorization": f"Bearer {key or self.key_a}", **(headers or {})}
        if body is not None or raw is not None:
            h["Content-Type"] = ctype
            data = raw if raw is not None else json.dumps(body).encode()
        else:
            data = None
        return requests.request(method, self.url(path), data=data, headers=h, timeout=120, allow_redirects=False)

    def check(self, name: str, r: requests.Response, ok_statuses: set[int], *, expect: str = "") -> bool:
        ctype = r.headers.get("Content-Type", "")
        is_json = "json" in ctype
        good = r.status_code in ok_statuses and (is_json or r.status_code in (204,))
        if good and 400 <= r.status_code < 500:
            try:
                body = r.json()
            except ValueError:
                good = False
            else:  # a problem names what is wrong: a detail or per-field errors
                good = bool(body.get("detail") or body.get("errors") or body.get("title"))
        note = f"{r.status_code} {ctype.split(';')[0] or '-'}"
        snippet = re.sub(r"\s+", " ", r.text[:140])
        self.results.append(
            (good, name, f"{note} (want {sorted(ok_statuses)}{'; ' + expect if expect else ''}) {snippet}")
        )
        return good

    def check_true(self, name: str, ok: bool, detail: str) -> None:
        self.results.append((ok, name, detail))


def job_body(weight=1.0, **extra) -> dict:
    return {
        "id": f"probe-{uuid.uuid4().hex[:10]}",
        "title": "Probe job",
        "skills": [{"name": "SQL", "weight": weight}],
        **extra,
    }


def nested(depth: int) -> str:
    """``depth`` nested JSON arrays, as text (the json module itself refuses to write that deep)."""
    return "[" * depth + '"x"' + "]" * depth


def run(p: Probe, login: str | None) -> None:
    # 1. non-finite and huge numbers
    for w in ("1e999", "-1e999", "1e308", "NaN", "Infinity"):
        raw = json.dumps(job_body()).replace('"weight": 1.0', f'"weight": {w}').encode()
        p.check(f"job weight {w}", p.call("POST", "jobs/", raw=raw), {400})
    for field_name, val in (("hours", "1e999"), ("level_value", "1e999")):
        cred = {"title": "Probe badge", "skills": ["SQL"], "hours": 10, "level": {"framework": "EQF", "value": 4}}
        text = json.dumps({"id": f"probe-c-{uuid.uuid4().hex[:8]}", "credentials": [cred]})
        text = (
            text.replace('"hours": 10', f'"hours": {val}')
            if field_name == "hours"
            else text.replace('"value": 4', f'"value": {val}')
        )
        p.check(f"candidate {field_name} {val}", p.call("POST", "candidates/", raw=text.encode()), {400})
    r = p.call("GET", "jobs/")
    p.check("job list still answers after bad numbers", r, {200})
    # 2. deep nesting
    for path in ("jobs/", "candidates/", "candidates/import/"):
        raw = ('{"id": "probe-deep", "title": "x", "skills": ' + nested(1000) + "}").encode()
        ct = "application/x-ndjson" if path.endswith("import/") else "application/json"
        p.check(f"1000-deep body to {path}", p.call("POST", path, raw=raw, ctype=ct), {400})
    # 3. big bodies
    big = b'{"id": "probe-big", "title": "' + b"a" * (20 * 1024 * 1024) + b'"}'
    p.check("20 MB body to jobs/", p.call("POST", "jobs/", raw=big), {413})
    bigl = (b'{"id": "x", "skills": ["SQL"]}\n') * (55 * 1024 * 1024 // 30)
    for path in ("candidates/import/", "candidates/imports/"):
        p.check(f"55 MB body to {path}", p.call("POST", path, raw=bigl, ctype="application/x-ndjson"), {413})
    # 4. lone surrogates and NUL
    p.check("lone surrogate in a title", p.call("POST", "jobs/", raw=b'{"title": "\\ud83d", "skills": ["SQL"]}'), {400})
    p.check("NUL in a title", p.call("POST", "jobs/", raw=b'{"title": "a\\u0000b", "skills": ["SQL"]}'), {400})
    p.check(
        "NUL in a candidate name", p.call("POST", "candidates/", raw=b'{"id": "probe-nul", "name": "a\\u0000b"}'), {400}
    )
    line = b'{"id": "probe-nul-line", "skills": ["S\\u0000QL"]}\n'
    p.check(
        "NUL in an import line", p.call("POST", "candidates/import/", raw=line, ctype="application/x-ndjson"), {400}
    )
    p.check(
        "NUL in a query string",
        requests.get(p.url("skills/?q=a%00b"), headers={"Authorization": f"Bearer {p.key_a}"}, timeout=60),
        {400},
    )
    p.check("invalid UTF-8 body", p.call("POST", "jobs/", raw=b'{"title": "\xff\xfe", "skills": ["SQL"]}'), {400})
    # 5. missing trailing slash
    r = requests.post(
        p.url("jobs"),
        data=json.dumps(job_body()),
        timeout=60,
        headers={"Authorization": f"Bearer {p.key_a}", "Content-Type": "application/json"},
    )
    if p.check("POST /jobs without the slash", r, {201, 308, 400}) and r.status_code == 201:
        p.created_jobs.append(r.json()["id"])
    # 6. idempotency: a request that failed must not lock its key
    key = f"probe-{uuid.uuid4().hex}"
    p.call("POST", "jobs/", raw=b'{"title": "\\ud83d"}', headers={"Idempotency-Key": key})
    r = p.call("POST", "jobs/", body=job_body(), headers={"Idempotency-Key": key})
    if p.check("Idempotency-Key reusable after a failed request", r, {201, 422}) and r.status_code == 201:
        p.created_jobs.append(r.json()["id"])
    # 7. id filters must not reveal which ids exist in another organization
    r_b = p.call("GET", "jobs/", key=p.key_b)
    b_job = (r_b.json().get("results") or [{}])[0].get("id") if r_b.ok else None
    for param in ("match-runs/?job=", "webhook-deliveries/?endpoint="):
        a = p.call("GET", f"{param}{b_job or 1}")
        z = p.call("GET", f"{param}987654321")
        same = (a.status_code, a.text) == (z.status_code, z.text)
        p.check_true(
            f"{param} other org's id vs no such id", same and a.status_code < 500, f"{a.status_code} vs {z.status_code}"
        )
    # 13. webhook targets checked at creation
    for target in ("http://127.0.0.1/hook", "http://169.254.169.254/latest", "http://[::1]/x", "file:///etc/passwd"):
        r = p.call("POST", "webhooks/", body={"url": target, "events": ["match_run.finished"]})
        p.check(f"webhook to {target}", r, {400})
    # 14. demographics with unexpected keys
    cands = p.call("GET", "candidates/")
    cid = (cands.json().get("results") or [{}])[0].get("id") if cands.ok else None
    if cid:
        for body in ({"unexpected": 1}, ["a"], {"age_band": {"x": 1}}, "x"):
            p.check(
                f"demographics body {json.dumps(body)[:30]}",
                p.call("PUT", f"candidates/{cid}/demographics/", body=body),
                {200, 400},
            )
    # the organization's pages still work
    p.check("job list answers at the end", p.call("GET", "jobs/"), {200})
    # 10. login throttling and CSP
    if login:
        user, _, pwd = login.partition(":")
        s = requests.Session()
        page = s.get(p.base.rstrip("/") + "/login/", timeout=30)
        csp = page.headers.get("Content-Security-Policy", "")
        p.check_true("login page has a Content-Security-Policy", "default-src" in csp, csp[:120] or "no CSP header")
        locked = False
        for _ in range(8):
            token = s.cookies.get("csrftoken", "")
            r = s.post(
                p.base.rstrip("/") + "/login/",
                timeout=30,
                data={"username": user, "password": "wrong-" + uuid.uuid4().hex[:6], "csrfmiddlewaretoken": token},
                headers={"Referer": p.base},
            )
            locked = locked or r.status_code in (403, 429)
        token = s.cookies.get("csrftoken", "")
        r = s.post(
            p.base.rstrip("/") + "/login/",
            timeout=30,
            allow_redirects=False,
            data={"username": user, "password": pwd, "csrfmiddlewaretoken": token},
            headers={"Referer": p.base},
        )
        p.check_true(
            "8 wrong passwords lock the login, the right one too",
            locked and r.status_code != 302,
            f"locked={locked}, right password then answered {r.status_code}",
        )
        reset = requests.get(p.base.rstrip("/") + "/password-reset/", timeout=30)
        p.check_true("a password reset page exists", reset.status_code == 200, str(reset.status_code))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="http://127.0.0.1:8000")
    ap.add_argument("--key-a", required=True)
    ap.add_argument("--key-b", required=True)
    ap.add_argument("--login", help="USER:PASSWORD of a dashboard user, to probe login throttling (locks it out)")
    args = ap.parse_args()
    p = Probe(args.base, args.key_a, args.key_b)
    try:
        run(p, args.login)
    finally:
        for jid in p.created_jobs:
            p.call("DELETE", f"jobs/{jid}/")
    for ok, name, detail in p.results:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    failed = sum(1 for ok, *_ in p.results if not ok)
    print(f"{len(p.results) - failed} of {len(p.results)} probes passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
