#!/usr/bin/env python
"""Time of reading one long CV (120 role bullets) into a draft, stage by stage; and, with ``--answers``,
the drafts of every CV of bench/resume_cvs.py (all groups) as JSON, to prove that a change to the parse
leaves its answers as they were.

Runs the product's binding (apps.candidates.services.resume_parse) against DATABASE_URL with the ESCO
taxonomy imported (work on a copy: the extractor stores the phrases it encodes; a SQLite file in WAL
mode is copied with the sqlite3 backup API, see bench/resume_eval.py). One warm-up parse loads the
encoders and the index; then each format (text, PDF, DOCX) is parsed ``--runs`` times with the process
cache of encoded phrases emptied first (a new CV's phrases are new to the process), and the median run
is printed with each stage's wall-clock and CPU time (the process's CPU, all threads):

- reading: the file's bytes to text (readers.read);
- sections: headings, entries, skills-list items, certification lines (apps.candidates.resume.sections);
- free text: the extractor on each section and role (draft.prose_hits), with the normalizer's check of
  one-word hits, but not the duties read inside it;
- duties: the bullets cut into verb + object (draft.duty_hits) and resolved, with the extractor's
  reading of the duties written one per line;
- named items: the tools a line names ("in Airflow", "Tools: ...", draft._named_hits);
- listed skills: the items of the skills sections (draft.listed) through the normalizer and extractor.

Each stage's time includes the encoder calls made inside it; ``encoder`` beside it says how much of it
was encoding, and how many texts went to the encoder (after the label and cache look-ups). The load
average is printed with the figures: on a shared machine the wall clock moves with it, CPU time less.

The long CV: ten roles of twelve bullets each, under headings, with a summary, a skills section and
certifications. Its bullets are the English role bullets of bench/resume_cvs.py (56 of them since the
three dev CVs of the CV-recall change, 44 before), each used two or three times across the roles with a
different modifier ("for 12 clients", "across 3 sites"), as a long career repeats its duties from role
to role.

  DATABASE_URL=sqlite:////tmp/esco-copy.sqlite3 .venv/bin/python bench/resume_speed.py [--runs 3]
      [--formats txt,pdf,docx] [--answers OUT.json] [--profile 25]
  .venv/bin/python bench/resume_speed.py --compare BEFORE.json AFTER.json
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import logging
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

STAGES = ("reading", "sections", "free text", "duties", "named items", "listed skills")
MODIFIERS = [
    "",
    " for 12 clients",
    " across 3 sites",
    " in a team of eight",
    " every quarter",
    " for the regional office",
]


def bullets() -> list[str]:
    """The English role bullets of the bench CVs (each once, in order)."""
    from bench.resume_cvs import CVS

    seen: dict[str, None] = {}
    for cv in CVS:
        for key in ("lines", "right", "left", "after"):
            for line in cv.get(key) or []:
                text = line.strip()
                if text.startswith("- ") and text.isascii():
                    seen.setdefault(text[2:].rstrip("."), None)
    return list(seen)


def long_cv_lines(n_roles: int = 10, per_role: int = 12) -> list[str]:
    """A long CV as text lines: header, summary, skills, ``n_roles`` roles of ``per_role`` bullets."""
    base = bullets()
    lines = [
        "Alex Morgan",
        "alex.morgan@example.com | +44 20 7946 0000 | Leeds",
        "",
        "SUMMARY",
        "Operations and data professional with fifteen years in retail, logistics, finance and software,",
        "leading teams, improving processes and reporting to senior management.",
        "",
        "SKILLS",
        "Python, SQL, Excel, Tableau, Project management, Budgeting, Stakeholder management",
        "Forklift operation, Inventory control, Payroll, Customer service, Negotiation",
        "",
        "EXPERIENCE",
    ]
    k = 0
    for r in range(n_roles):
        lines += ["", f"Team Lead {r + 1}", f"Company {chr(65 + r)} Ltd", f"Jan {2010 + r} - Dec {2011 + r}"]
        for _ in range(per_role):
            lines.append(f"- {base[k % len(base)]}{MODIFIERS[(k // len(base)) % len(MODIFIERS)]}")
            k += 1
    lines += [
        "",
        "EDUCATION",
        "BSc Business Management",
        "University of Leeds",
        "2005 - 2008",
        "",
        "CERTIFICATIONS",
        "PRINCE2 Foundation, Axelos, 2015",
        "Tableau Desktop Specialist, Tableau, 2021",
    ]
    return lines


def render(lines: list[str], fmt: str) -> tuple[str, bytes]:
    if fmt == "txt":
        return "long-cv.txt", "\n".join(lines).encode()
    if fmt == "docx":
        import docx

        d = docx.Document()
        for line in lines:
            d.add_paragraph(line)
        buf = io.BytesIO()
        d.save(buf)
        return "long-cv.docx", buf.getvalue()
    if fmt == "pdf":
        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        for line in lines:
            pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        return "long-cv.pdf", bytes(pdf.output())
    raise ValueError(fmt)


class Stages:
    """Wall-clock and CPU time per stage, each moment counted once, in the innermost stage that is not
    inside a sticky one (duties, named items and listed skills keep what they call: the extractor's
    reading of the duties is the duties' cost). Inside each stage, the calls to the extractor
    (skills_extract_many), the normalizer (normalize) and the encoders are counted and timed too."""

    STICKY = {"duties", "named items", "listed skills", "batched calls"}

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        # (stage, "extractor" | "normalizer" | "encoder") -> [calls, texts, wall seconds]
        self.calls: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0, 0.0])
        self.stack: list[str] = ["other"]
        self.mark = (time.perf_counter(), time.process_time())

    def _flush(self) -> None:
        now = (time.perf_counter(), time.process_time())
        self.wall[self.stack[-1]] += now[0] - self.mark[0]
        self.cpu[self.stack[-1]] += now[1] - self.mark[1]
        self.mark = now

    def wrap(self, fn, stage: str):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self._flush()
            top = self.stack[-1]
            self.stack.append(top if top in self.STICKY else stage)
            try:
                return fn(*args, **kwargs)
            finally:
                self._flush()
                self.stack.pop()

        return timed

    def count(self, fn, kind: str, texts_of):
        """``fn`` counted as a call of ``kind`` in the current stage (its time stays the stage's)."""

        @functools.wraps(fn)
        def counted(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                c = self.calls[(self.stack[-1], kind)]
                c[0] += 1
                c[1] += len(texts_of(*args, **kwargs))
                c[2] += time.perf_counter() - t

        return counted


def instrument(stages: Stages) -> None:
    from apps.candidates.resume import draft, sections
    from apps.skills import services
    from apps.skills.vocabulary import encoder

    draft.read = stages.wrap(draft.read, "reading")
    for name in ("split_sections", "parse_entries", "skill_items", "certification_lines", "find_name"):
        setattr(sections, name, stages.wrap(getattr(sections, name), "sections"))
    draft.prose_hits = stages.wrap(draft.prose_hits, "free text")
    draft.duty_hits = stages.wrap(draft.duty_hits, "duties")
    draft._named_hits = stages.wrap(draft._named_hits, "named items")
    draft.listed = stages.wrap(draft.listed, "listed skills")
    memo = getattr(draft, "_Memo", None)
    if memo is not None:  # the questions of a pass asked together (from_document)
        memo.fetch = stages.wrap(memo.fetch, "batched calls")
    services.skills_extract_many = stages.count(services.skills_extract_many, "extractor", lambda **kw: kw["texts"])
    services.normalize = stages.count(services.normalize, "normalizer", lambda **kw: kw["texts"])
    for spec in _specs():
        enc = encoder(spec)
        enc.encode = stages.count(enc.encode, "encoder", lambda texts: texts)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def answers(out: Path) -> None:
    """Every bench CV's draft (all groups) as JSON, with the text the spans point into."""
    from apps.candidates.services import resume_parse
    from apps.skills.vocabulary import clear_text_cache
    from bench.resume_cvs import CVS
    from bench.resume_eval import render as render_cv

    result = {}
    t, c = time.perf_counter(), time.process_time()
    for cv in CVS:
        clear_text_cache()
        name, data = render_cv(cv)
        result[cv["id"]] = resume_parse(data=data, filename=name).as_dict(with_text=True)
    lines = long_cv_lines()
    for fmt in ("txt", "pdf", "docx"):
        clear_text_cache()
        name, data = render(lines, fmt)
        result[name] = resume_parse(data=data, filename=name).as_dict(with_text=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True))
    print(
        f"{len(result)} drafts written to {out} in {time.perf_counter() - t:.1f} s wall, "
        f"{time.process_time() - c:.1f} s CPU (load {load()})"
    )


def _diffs(a, b, path: str = "") -> list[tuple[str, object, object]]:
    """(path, a, b) of every value that differs between two JSON values."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in _diffs(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _diffs(x, y, f"{path}[{i}]")]
    return [] if a == b else [(path, a, b)]


def compare(before: Path, after: Path) -> None:
    """Say which drafts of two ``--answers`` files differ, and where. A confidence that moved by at most
    0.001 (the third decimal the draft keeps) is reported apart: float rounding, not another answer."""
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    same = [k for k in a if a[k] == b.get(k)]
    print(f"{len(same)} of {len(a)} drafts identical ({len(b)} in {after})")
    for k in a:
        for path, x, y in _diffs(a[k], b.get(k)):
            rounding = (
                path.endswith(".confidence")
                and isinstance(x, float)
                and isinstance(y, float)
                and abs(x - y) <= 0.001 + 1e-9
            )
            print(f"  {k}{path}: {x!r} -> {y!r}{'  (float rounding)' if rounding else ''}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="txt,pdf,docx")
    ap.add_argument("--answers", type=Path, help="write every bench CV's draft here (JSON) and stop")
    ap.add_argument("--profile", type=int, default=0, help="print the N functions with most cumulative time")
    ap.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"), help="compare two --answers files")
    a = ap.parse_args()
    if a.compare:
        compare(*a.compare)
        return
    import django

    django.setup()
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2's font subsetting, line by line
    from apps.candidates.services import resume_parse
    from apps.skills.selectors import taxonomy_index
    from apps.skills.vocabulary import clear_text_cache

    t = time.perf_counter()
    index = taxonomy_index()
    if index.size == 0:
        raise SystemExit("no taxonomy imported in DATABASE_URL")
    warm = b"SKILLS\nPython, SQL\n\nEXPERIENCE\nAnalyst\nAcme Ltd\n2020 - 2021\n- Wrote SQL"
    resume_parse(data=warm, filename="w.txt")
    print(f"index {index.size} concepts; warm-up {time.perf_counter() - t:.1f} s; load {load()}")
    if a.answers:
        answers(a.answers)
        return
    lines = long_cv_lines()
    n_bullets = sum(1 for ln in lines if ln.startswith("- "))
    prof = cProfile.Profile() if a.profile else None
    for fmt in a.formats.split(","):
        name, data = render(lines, fmt)
        runs = []
        for _ in range(a.runs):
            clear_text_cache()
            stages = Stages()
            from apps.candidates.resume import draft as draft_module
            from apps.candidates.resume import sections as sections_module
            from apps.skills import services as skill_services

            memo = getattr(draft_module, "_Memo", None)
            saved = (
                dict(vars(draft_module)),
                dict(vars(sections_module)),
                dict(vars(skill_services)),
                memo.fetch if memo else None,
            )
            instrument(stages)
            w, c = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            d = resume_parse(data=data, filename=name)
            if prof:
                prof.disable()
            total = (time.perf_counter() - w, time.process_time() - c)
            stages._flush()
            vars(draft_module).update(saved[0])
            vars(sections_module).update(saved[1])
            vars(skill_services).update(saved[2])
            if memo is not None:
                memo.fetch = saved[3]
            _uninstrument()
            runs.append((total, stages, len(d.skills), len(d.experience)))
        runs.sort(key=lambda r: r[0][0])
        total, stages, n_skills, n_roles = runs[len(runs) // 2]
        print(
            f"\n{name}: {len(data)} bytes, {n_bullets} bullets, {n_roles} roles, {n_skills} skills; "
            f"median of {a.runs} (walls {', '.join(f'{r[0][0]:.2f}' for r in runs)} s): "
            f"{total[0]:.2f} s wall, {total[1]:.2f} s CPU; load {load()}"
        )
        print(
            "| stage | wall s | CPU s | extractor calls / texts / wall s | normalizer calls / phrases / wall s "
            "| encoder calls / texts / wall s |"
        )
        print("|---|---|---|---|---|---|")
        for s in (*STAGES, "batched calls", "other"):
            if s not in stages.wall:
                continue
            cells = []
            for kind in ("extractor", "normalizer", "encoder"):
                n, texts, wall = stages.calls.get((s, kind), (0, 0, 0.0))
                cells.append(f"{n} / {texts} / {wall:.2f}")
            print(f"| {s} | {stages.wall[s]:.2f} | {stages.cpu[s]:.2f} | {' | '.join(cells)} |")
    if prof:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(a.profile)
        print(s.getvalue())
    print(f"\nload average at the end {load()}")


def _uninstrument() -> None:
    """Put the encoders' own ``encode`` back (instrument wraps them on the instance)."""
    from apps.skills.vocabulary import encoder

    for spec in _specs():
        encoder(spec).__dict__.pop("encode", None)


def _specs() -> list[str | None]:
    """The primary encoder (None: the configured one) and the auxiliary one when there is one."""
    from apps.skills.vocabulary import aux_spec

    aux = aux_spec()
    return [None, aux] if aux else [None]


if __name__ == "__main__":
    main()
