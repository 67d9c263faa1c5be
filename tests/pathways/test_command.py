"""The stateless ``pathway`` command: the docs/architecture.md contract, bad input, brute-force optimality and the
what-if score (it equals ``rank``'s score of the candidate holding the pathway's offerings)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from datetime import date

import pytest
from django.core.management import CommandError, call_command

CONTRACT_KEYS = {"covered", "missing", "uncoverable", "pathway", "total_hours", "score_now", "score_after"}
# Distinct skills, so that a course teaching one does not also cover another by similarity.
SKILLS = [
    "SQL",
    "welding",
    "French language",
    "forklift operation",
    "bookkeeping",
    "graphic design",
    "patient care",
    "carpentry",
]
HEADER = ["id", "title", "provider", "level_framework", "level_value", "hours", "skills"]

JOB = {
    "id": "j1",
    "title": "Analyst",
    "skills": [
        {"name": "SQL", "required": True},
        {"name": "welding"},
        {"name": "French language"},
        {"name": "bookkeeping", "min_level": 5},
        {"name": "patient care"},
    ],
}
CANDIDATE = {
    "id": "c1",
    "credentials": [
        {"title": "French B2", "verified": True, "issued": "2025-03-01", "skills": ["French language"]},
        {"title": "Bookkeeping taster", "issued": "2025-03-01", "level": 3, "skills": ["bookkeeping"]},
    ],
}
CATALOG = [
    ["a", "SQL basics", "P", "EQF", "5", "40", "SQL"],
    ["b", "Welding 1", "P", "EQF", "4", "30", "welding"],
    ["c", "SQL and welding", "P", "EQF", "5", "80", "SQL;welding"],
    ["d", "Bookkeeping intro", "P", "EQF", "3", "10", "bookkeeping"],  # below min_level 5
    ["e", "Bookkeeping advanced", "P", "EQF", "6", "50", "bookkeeping"],
    ["g", "Bookkeeping with SQL", "P", "NZQF", "7", "60", "bookkeeping;SQL"],  # NZQF 7 = EQF 6
]


def _csv(rows, header=HEADER) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _run(tmp_path, job=JOB, candidate=CANDIDATE, catalog=None, *extra, catalog_text=None):
    jf, cf, kf = tmp_path / "job.json", tmp_path / "cand.json", tmp_path / "catalog.csv"
    jf.write_text(job if isinstance(job, str) else json.dumps(job))
    cf.write_text(candidate if isinstance(candidate, str) else json.dumps(candidate))
    kf.write_text(catalog_text if catalog_text is not None else _csv(CATALOG if catalog is None else catalog))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "pathway", "--job", str(jf), "--candidate", str(cf), "--catalog", str(kf), *extra, stdout=out, stderr=err
    )
    return json.loads(out.getvalue()), err.getvalue()


@pytest.mark.django_db
def test_contract_and_hand_checked_answer(tmp_path):
    out, err = _run(tmp_path)
    assert set(out) == CONTRACT_KEYS and err == ""
    assert out["covered"] == ["French language"]
    # bookkeeping is only an unverified EQF 3 credential, two levels below the minimum 5
    # (credit 0.8 × (1 - 2 × 0.2) = 0.48 < 0.5): weak, so it still needs closing
    assert out["missing"] == ["SQL", "welding", "bookkeeping", "patient care"]
    assert out["uncoverable"] == ["patient care"]
    # a+b+e = 120 h; g (bookkeeping+SQL, 60) + b (30) = 90 h; d is below bookkeeping's min level
    assert {p["id"] for p in out["pathway"]} == {"g", "b"} and out["total_hours"] == 90
    assert {p["id"]: p["covers"] for p in out["pathway"]} == {"g": ["SQL", "bookkeeping"], "b": ["welding"]}
    assert set(out["pathway"][0]) == {"id", "title", "hours", "covers"}
    assert out["score_now"] < out["score_after"]


@pytest.mark.django_db
def test_min_level_excludes_offerings_below_it(tmp_path):
    # only the too-low bookkeeping course: bookkeeping becomes uncoverable
    out, _ = _run(tmp_path, catalog=[CATALOG[0], CATALOG[1], CATALOG[3]])
    assert "bookkeeping" in out["uncoverable"] and all(p["id"] != "d" for p in out["pathway"])


@pytest.mark.django_db
def test_what_if_score_equals_rank_of_candidate_with_the_pathway(tmp_path):
    out, _ = _run(tmp_path)
    rows = {r[0]: r for r in CATALOG}
    fw = {"a": "EQF", "b": "EQF", "c": "EQF", "d": "EQF", "e": "EQF", "g": "NZQF"}
    added = [
        {
            "title": rows[p["id"]][1],
            "verified": True,
            "issued": date.today().isoformat(),
            "level": {"framework": fw[p["id"]], "value": int(rows[p["id"]][4])},
            "skills": rows[p["id"]][6].split(";"),
        }
        for p in out["pathway"]
    ]
    after = {**CANDIDATE, "id": "after", "credentials": CANDIDATE["credentials"] + added}
    jf, cf = tmp_path / "job.json", tmp_path / "c.jsonl"
    cf.write_text(json.dumps(CANDIDATE) + "\n" + json.dumps(after))
    buf = io.StringIO()
    call_command("rank", "--job", str(jf), "--candidates", str(cf), stdout=buf)
    ranked = {r["id"]: r for r in map(json.loads, buf.getvalue().splitlines())}
    assert ranked["c1"]["score"] == out["score_now"]
    assert ranked["after"]["score"] == out["score_after"]
    # every skill the pathway claims to close is covered afterwards
    credit = {m["required"]: m["credit"] for m in ranked["after"]["matches"]}
    assert all(credit[s] >= 0.5 for p in out["pathway"] for s in p["covers"])


@pytest.mark.django_db
def test_bad_catalog_rows_are_reported_by_line_and_skipped(tmp_path):
    rows = [
        CATALOG[0],
        ["x", "Broken", "P", "EQF", "99", "10", "welding"],
        CATALOG[1],
        ["y", "No hours", "P", "EQF", "4", "", "welding"],
        CATALOG[0],
    ]
    out, err = _run(tmp_path, catalog=rows)
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert "row 3" in lines[0] and "level_value" in lines[0]
    assert "row 5" in lines[1] and "hours" in lines[1]
    assert "row 6" in lines[2] and "duplicate id" in lines[2]
    assert {p["id"] for p in out["pathway"]} == {"a", "b"}  # the good rows are all used


@pytest.mark.django_db
@pytest.mark.parametrize(
    "what,kwargs,message",
    [
        ("job", {"job": "{not json"}, "job.json: invalid JSON"),
        ("job", {"job": {"id": "j", "skills": []}}, "job.json: skills"),
        ("candidate", {"candidate": {"credentials": []}}, "cand.json: id: is required"),
        ("candidate", {"candidate": "[1, 2]"}, "cand.json: a candidate must be a JSON object"),
        ("catalog", {"catalog_text": "id,title\nx,y\n"}, "catalog.csv: row 1: missing column(s)"),
    ],
)
def test_bad_input_names_the_file(tmp_path, what, kwargs, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _run(tmp_path, **kwargs)


@pytest.mark.django_db
def test_details_flag_gives_the_full_report(tmp_path):
    out, _ = _run(tmp_path, JOB, CANDIDATE, None, "--details")
    assert out["partial"] == ["bookkeeping"] and out["method"] == "exact"
    assert out["pathway"]["total_hours"] == 90
    assert [a["total_hours"] for a in out["alternatives"]] == []  # a+b+e = 120 is 33% dearer


def _brute_force(missing, catalog, min_levels):
    """Cheapest hours covering every coverable missing skill, skills matched by their exact phrase."""
    covers = {}
    for r in catalog:
        level = int(r[4])
        covers[r[0]] = {s for s in r[6].split(";") if s in missing and level >= (min_levels.get(s) or 0)}
    coverable = set().union(*covers.values()) if covers else set()
    best = None
    for k in range(len(catalog) + 1):
        for comb in itertools.combinations(catalog, k):
            if coverable <= set().union(set(), *(covers[r[0]] for r in comb)):
                cost = sum(int(r[5]) for r in comb)
                best = cost if best is None else min(best, cost)
    return best, coverable


@pytest.mark.django_db
def test_random_catalogs_with_the_jobs_phrases_match_brute_force(tmp_path):
    rng = random.Random(42)
    for trial in range(6):
        job_skills = rng.sample(SKILLS, 5)
        min_levels = {s: rng.choice([None, None, 4, 6]) for s in job_skills}
        job = {"id": "j", "skills": [{"name": s, "min_level": min_levels[s]} for s in job_skills]}
        held = rng.sample(job_skills, 1)
        cand = {
            "id": "c",
            "credentials": [{"title": "held", "verified": True, "issued": "2025-01-01", "level": 7, "skills": held}],
        }
        catalog = [
            [
                f"o{i}",
                f"Course {i}",
                "P",
                "EQF",
                str(rng.randint(3, 7)),
                str(rng.randint(5, 120)),
                ";".join(rng.sample(job_skills, rng.randint(1, 3))),
            ]
            for i in range(rng.randint(3, 9))
        ]
        out, _ = _run(tmp_path, job, cand, catalog)
        missing = set(job_skills) - set(held)
        assert set(out["missing"]) == missing, trial
        best, coverable = _brute_force(missing, catalog, min_levels)
        assert out["total_hours"] == best, trial
        assert set(out["uncoverable"]) == missing - coverable, trial
        assert coverable <= {s for p in out["pathway"] for s in p["covers"]}, trial
