"""First-call latency after warm start, against a live server (docs/operations: "Warm start").

Waits until /readyz says ready, then times the first POST /api/v1/skills/extract/ and the first job
editor "Suggest skills from the description" (logged in as the demo recruiter).

    python bench/first_call.py --url http://127.0.0.1:8000 --key "$KEY" [--user recruiter --password tsumiki-demo]
"""

from __future__ import annotations

import argparse
import re
import sys
import time

import requests

DESCRIPTION = (
    "We are looking for a data analyst who writes SQL every day, builds dashboards in Python with pandas, "
    "presents findings to stakeholders and keeps data quality high."
)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--key", required=True)
    ap.add_argument("--user", default="recruiter")
    ap.add_argument("--password", default="tsumiki-demo")
    ap.add_argument("--wait", type=float, default=600)
    args = ap.parse_args()
    base = args.url.rstrip("/")
    t0 = time.monotonic()
    while True:
        try:
            r = requests.get(f"{base}/readyz", timeout=5)
            model = r.json().get("checks", {}).get("model", {})
            if r.status_code == 200:
                print(f"ready: model loaded in {model.get('seconds')} s (waited {time.monotonic() - t0:.1f} s)")
                break
        except requests.RequestException:
            pass
        if time.monotonic() - t0 > args.wait:
            print("server never reported ready", file=sys.stderr)
            return 1
        time.sleep(0.5)

    started = time.perf_counter()
    r = requests.post(
        f"{base}/api/v1/skills/extract/",
        json={"text": DESCRIPTION},
        headers={"Authorization": f"Bearer {args.key}"},
        timeout=120,
    )
    api_s = time.perf_counter() - started
    found = len(r.json().get("skills", []))
    print(f"first POST /api/v1/skills/extract/: {r.status_code} in {api_s:.2f} s, {found} skills")

    s = requests.Session()
    page = s.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    s.post(
        f"{base}/login/",
        data={"username": args.user, "password": args.password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
        timeout=30,
    )
    editor = s.get(f"{base}/jobs/new/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', editor.text).group(1)
    started = time.perf_counter()
    r = s.post(
        f"{base}/jobs/editor/from-description/",
        data={"description": DESCRIPTION, "skills-a1-name": "", "csrfmiddlewaretoken": token},
        headers={"HX-Request": "true", "Referer": f"{base}/jobs/new/"},
        timeout=120,
    )
    ui_s = time.perf_counter() - started
    rows = r.text.count('class="skill-row"')
    print(f"first editor suggestion: {r.status_code} in {ui_s:.2f} s, {rows} rows")
    return 0 if api_s <= 3 and ui_s <= 3 else 2


if __name__ == "__main__":
    sys.exit(main())
