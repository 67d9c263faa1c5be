#!/usr/bin/env python
"""CV import on the self-written, self-annotated CVs of bench/resume_cvs.py (groups dev, held-out, blind:
see its docstring); quoted in docs/quality.md.

Not an unseen set: the CVs and their annotation were written by the project, so the figures show that
the pieces work together and how far they carry to other wording, not how well they generalise.

Each CV is rendered to its file format (PDF in two columns, PDF with a table, DOCX with a table, plain
text, JSON Resume, LER-RS; fpdf2 and python-docx), read by apps.candidates.resume.parse with the
product's extractor (apps.skills.extraction.extract with the occupation prior, its "suggested" skills, top
40 per text, as skills_extract(suggested_only=True)) and normalizer
(TaxonomyIndex.search, resolving a listed item at ``RESOLVE_MIN``) on an index of the whole ESCO
release built as the import builds it (bench/multilingual_eval.product_index, MiniLM, vectors cached
under --cache). Skill precision and recall are by concept: the set of concepts proposed for a CV
against the set its annotation names (micro over all CVs, and macro per CV); phrases proposed without
a concept count neither way. Names, e-mails and certification titles are checked exactly.

  .venv/bin/python bench/resume_eval.py [--esco ../shared/data/esco-v1.1.1] [--cache DIR] [--verbose]
  .venv/bin/python bench/resume_eval.py --database /tmp/my-esco-copy.sqlite3 [--verbose]

``--database`` reads the taxonomy of an imported database instead (a SQLite file or a database URL:
what ``import_esco`` built, with its stored vectors, auxiliary encoder and fitted fusion) through the
product's own bindings, apps.candidates.services.resume_parse's ``skills_extract`` and ``normalize``:
no embedding and no fit here. Work on a copy: the extractor stores the phrases it encodes. A SQLite
database in WAL mode is copied whole with its backup API, e.g. ``python -c "import sqlite3;
sqlite3.connect('esco.sqlite3').backup(sqlite3.connect('mine.sqlite3'))"`` (a plain ``cp`` leaves out
what is still in the ``-wal`` file).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from apps.candidates.resume import parse  # noqa: E402
from apps.skills import esco  # noqa: E402
from apps.skills.encoders import get_encoder  # noqa: E402
from apps.skills.extraction import extract  # noqa: E402
from apps.skills.normalizer import concept_words  # noqa: E402
from apps.skills.text import normalize_phrase  # noqa: E402
from bench.multilingual_eval import label_rows, product_index  # noqa: E402
from bench.resume_cvs import CVS  # noqa: E402

ESCO = "http://data.europa.eu/esco/skill/"


def render(cv: dict) -> tuple[str, bytes]:
    """(file name, bytes) of a CV in its format."""
    fmt = cv["format"]
    if fmt == "txt":
        return cv["id"] + ".txt", "\n".join(cv["lines"]).encode()
    if fmt in ("json-resume", "ler-rs"):
        return cv["id"] + ".json", json.dumps(cv["document"], ensure_ascii=False).encode()
    if fmt == "docx":
        import docx

        d = docx.Document()
        for line in cv["lines"]:
            d.add_paragraph(line)
        d.add_heading(cv["table_heading"], level=1)
        t = d.add_table(rows=len(cv["table"]), cols=len(cv["table"][0]))
        for i, row in enumerate(cv["table"]):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
        buf = io.BytesIO()
        d.save(buf)
        return cv["id"] + ".docx", buf.getvalue()
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    written = json.dumps(
        [cv.get(k) for k in ("header", "left", "right", "lines", "table", "after")], ensure_ascii=False
    )
    if any(ord(ch) > 0xFF for ch in written):
        # Helvetica holds Latin-1 only: a CV with Japanese lines is set in a CJK face (Noto Sans CJK JP)
        pdf.add_font("cjk", fname=str(_cjk_font()))
        pdf.add_font("cjk", "B", fname=str(_cjk_font()))  # table headings are bold; one weight will do
        pdf.set_font("cjk", size=10)
    if fmt == "pdf-two-columns":
        y = 15
        for line in cv["header"]:
            pdf.text(15, y, line)
            y += 6
        y += 6
        for i in range(max(len(cv["left"]), len(cv["right"]))):
            if i < len(cv["left"]) and cv["left"][i]:
                pdf.text(15, y, cv["left"][i])
            if i < len(cv["right"]) and cv["right"][i]:
                pdf.text(100, y, cv["right"][i])
            y += 5.5
    elif fmt == "pdf-table":
        for line in cv["lines"]:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        with pdf.table() as table:
            for r in cv["table"]:
                row = table.row()
                for c in r:
                    row.cell(c)
        for line in cv["after"]:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    else:
        raise ValueError(fmt)
    return cv["id"] + ".pdf", bytes(pdf.output())


CJK_COLLECTIONS = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
]


def _cjk_font() -> Path:
    """A Japanese OpenType face for fpdf2 (which reads no font collections): the JP face of an installed
    Noto Sans CJK collection, saved once under the temporary directory."""
    out = Path(tempfile.gettempdir()) / "tsumiki-bench-NotoSansCJKjp.otf"
    if out.is_file():
        return out
    from fontTools.ttLib import TTCollection

    for ttc in CJK_COLLECTIONS:
        if ttc.is_file():
            faces = TTCollection(str(ttc)).fonts
            face = next((f for f in faces if f["name"].getDebugName(1) == "Noto Sans CJK JP"), faces[0])
            face.save(str(out))
            return out
    raise SystemExit(f"a CV with Japanese text is rendered to PDF with a CJK font; none found at {CJK_COLLECTIONS}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--esco", type=Path, default=ROOT.parent / "shared" / "data" / "esco-v1.1.1")
    ap.add_argument("--encoder", default="minilm")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tsumiki-vectors")
    ap.add_argument("--verbose", action="store_true", help="print each CV's misses and extra concepts")
    ap.add_argument(
        "--prose-min",
        type=float,
        nargs="*",
        default=[],
        help="also report with one prose threshold for every section (the product's per-section ones always run)",
    )
    ap.add_argument(
        "--database",
        help="an imported database (SQLite file path or database URL) to read the taxonomy from, instead of --esco",
    )
    ap.add_argument(
        "--group",
        choices=["all", "dev", "held-out", "blind"],
        default="all",
        help="which CVs to score (all: each group in turn)",
    )
    a = ap.parse_args()
    from apps.candidates.resume.draft import SKILLS_PER_TEXT

    ext, resolve = database_bindings(a.database) if a.database else release_bindings(a, SKILLS_PER_TEXT)
    from apps.candidates.resume import draft as draft_module

    groups = ["dev", "held-out", "blind"] if a.group == "all" else [a.group]
    # None: the product's per-section thresholds (draft.PROSE_MIN); a number: that one for every section
    for prose_min in [None, *a.prose_min]:
        draft_module.PROSE_MIN_CONFIDENCE = prose_min
        label = f"product setting, per section {draft_module.PROSE_MIN}" if prose_min is None else "variant"
        for group in groups:
            cvs = [cv for cv in CVS if cv.get("group", "dev") == group]
            if not cvs:
                continue
            print(f"\n### PROSE_MIN_CONFIDENCE {prose_min} ({label}), {group} CVs ({len(cvs)})")
            evaluate(cvs, ext, resolve, verbose=a.verbose and prose_min is None)
    draft_module.PROSE_MIN_CONFIDENCE = None


def database_bindings(database: str):
    """(extract, resolve) as the product binds them (apps.candidates.services.resume_parse), on the
    taxonomy of an imported database."""
    url = database if "://" in database else f"sqlite:///{Path(database).resolve()}"
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite://")).is_file():
        raise SystemExit(f"no such database file: {url.removeprefix('sqlite://')}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from apps.candidates.resume.draft import SKILLS_PER_TEXT
    from apps.skills.models import SkillLabel
    from apps.skills.selectors import taxonomy_index
    from apps.skills.services import normalize, skills_extract

    t = time.perf_counter()
    index = taxonomy_index()
    if index.size == 0:
        raise SystemExit(f"{url}: no taxonomy imported")
    print(
        f"index {index.size} concepts / {SkillLabel.objects.count()} labels from {url} "
        f"(aux encoder: {index.has_aux}, fitted fusion: {index.fusion is not None}; loaded in "
        f"{time.perf_counter() - t:.1f} s)"
    )

    def ext(text: str) -> list[dict]:
        found = skills_extract(text=text, top_k=SKILLS_PER_TEXT, suggested_only=True)
        return [{**h, "words": concept_words(index, h["uri"])} for h in found]

    def resolve(phrases) -> list[dict | None]:
        # as apps.candidates.services.resume_parse binds it
        out: list[dict | None] = []
        for matches in normalize(texts=list(phrases), top_k=1):
            m = matches[0] if matches else None
            words = concept_words(index, m.uri) if m else []
            out.append({"uri": m.uri, "label": m.label, "confidence": m.score, "words": words} if m else None)
        return out

    return ext, resolve


def release_bindings(a, skills_per_text: int):
    """(extract, resolve) on an index of the release built here (embedded and fitted as the import does)."""
    release = esco.read_release(a.esco)
    rows = label_rows(release)
    index, info = product_index(release, rows, a.encoder, a.cache, 1)
    enc = get_encoder(a.encoder, 1)

    # the per-concept prior the product reads from the imported occupations (apps.skills.selectors.skill_prior)
    counts: dict[str, int] = {}
    for _, skill, rel in release.occupation_skills:
        if rel == "essential":
            counts[skill] = counts.get(skill, 0) + 1
    prior = np.log1p(np.array([counts.get(u, 0) for u in index.uris], dtype=np.float32))

    def ext(text: str) -> list[dict]:
        # as apps.skills.services.skills_extract(suggested_only=True), which resume_parse calls
        found = extract(text, index, enc.encode, top_k=max(skills_per_text, 50), prior=prior)
        return [{**f, "words": concept_words(index, f["uri"])} for f in found if f["suggested"]][:skills_per_text]

    def resolve(phrases) -> list[dict | None]:
        keys = [normalize_phrase(p) for p in phrases]
        hits = index.search(keys, enc.encode(keys), top_k=1)
        return [
            {
                "uri": index.uris[h[0][0]],
                "label": index.labels[h[0][0]],
                "confidence": h[0][1],
                "words": concept_words(index, index.uris[h[0][0]]),
            }
            if h
            else None
            for h in hits
        ]

    print(f"index {index.size} concepts / {len(rows)} labels ({a.encoder}; embedding {info['embed_s']} s)")
    return ext, resolve


def evaluate(cvs: list[dict], ext, resolve, *, verbose: bool) -> None:
    correct = proposed = hits = gold_total = 0
    per_cv = []
    names = emails = creds = creds_total = 0
    t0 = time.perf_counter()
    for cv in cvs:
        fname, data = render(cv)
        draft = parse(data, fname, extract=ext, resolve=resolve)
        got = {s.uri.removeprefix(ESCO) for s in draft.skills if s.uri}
        gold = [set(v.split("|")) for v in cv["gold"].values()]
        union = set().union(*gold)
        extra = got - union
        n_hits = sum(1 for g in gold if g & got)
        correct, proposed = correct + len(got & union), proposed + len(got)
        hits, gold_total = hits + n_hits, gold_total + len(gold)
        p = len(got & union) / len(got) if got else 1.0
        r = n_hits / len(gold) if gold else 1.0
        per_cv.append((cv["id"], cv["format"], p, r, len(gold), len(got)))
        names += draft.name == cv["name"]
        emails += draft.email == cv["email"]
        titles = {c.title for c in draft.credentials}
        creds += sum(t in titles for t in cv["credentials"])
        creds_total += len(cv["credentials"])
        if verbose:
            labels = {s.uri.removeprefix(ESCO): f"{s.phrase}→{s.label} ({s.source})" for s in draft.skills if s.uri}
            missed = [k for k, v in cv["gold"].items() if not set(v.split("|")) & got]
            print(f"## {cv['id']}: name={draft.name!r} email={draft.email!r} errors={draft.errors}")
            print("   missed:", missed)
            print("   extra:", [labels[u] for u in extra])
            print("   experience:", [(e.title, e.organization, e.start, e.end) for e in draft.experience])
            print("   credentials:", [(c.title, c.issuer, c.issued) for c in draft.credentials])
    elapsed = time.perf_counter() - t0
    print("| CV | format | precision | recall | gold concepts | proposed concepts |")
    print("|---|---|---|---|---|---|")
    for cid, fmt, p, r, g, n in per_cv:
        print(f"| {cid} | {fmt} | {p:.2f} | {r:.2f} | {g} | {n} |")
    micro_p = correct / proposed if proposed else 1.0
    micro_r = hits / gold_total if gold_total else 1.0
    print(f"micro precision {micro_p:.3f} ({correct}/{proposed})  recall {micro_r:.3f} ({hits}/{gold_total})")
    print(
        f"macro precision {statistics.mean(x[2] for x in per_cv):.3f}  "
        f"recall {statistics.mean(x[3] for x in per_cv):.3f}"
    )
    print(f"names {names}/{len(cvs)}  e-mails {emails}/{len(cvs)}  certification titles {creds}/{creds_total}")
    print(f"parse time {elapsed / len(cvs):.2f} s per CV")


if __name__ == "__main__":
    main()
