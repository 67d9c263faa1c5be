"""Cut the demo's ESCO subset out of a full ESCO CSV release (a maintainer's tool, never run at run time).

    python apps/dashboard/demo/make_esco_subset.py /path/to/esco-v1.1.1 [--out apps/dashboard/demo/esco]

Keeps the concepts the demo uses (every job skill, and every catalog skill phrase that is a label of a
concept), all their broader concepts up to the skill pillar's top, and a deterministic set of
neighbours (related skills and siblings under the same broader concept) so that normalization and
matching have realistic near-misses to choose between. The output keeps the official file layout
and headers (classification-en/skills_en.csv, classification-en/skillGroups_en.csv,
relations/broaderRelationsSkillPillar.csv), so ``import_esco`` and apps.skills.esco read it unchanged.

ESCO is © European Union, reused under Commission Decision 2011/833/EU (see esco/README.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
csv.field_size_limit(sys.maxsize)


def _norm(text: str) -> str:
    # Same folding as apps.skills.text.normalize_phrase, repeated so this script needs no Django.
    text = unicodedata.normalize("NFKC", text or "").replace("’", "'").casefold()
    return " ".join(text.split())


def _find(root: Path, name: str) -> Path | None:
    hits = sorted(root.rglob(name))
    return hits[0] if hits else None


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def demo_phrases(demo_dir: Path) -> tuple[set[str], set[str]]:
    """(job skill URIs, every skill phrase in jobs.json and catalog.csv, normalized)."""
    uris, phrases = set(), set()
    for jobs in json.loads((demo_dir / "jobs.json").read_text(encoding="utf-8")).values():
        for job in jobs:
            for s in job["skills"]:
                phrases.add(_norm(s["name"]))
                if s.get("uri"):
                    uris.add(s["uri"])
    with (demo_dir / "catalog.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            phrases.update(_norm(p) for p in row["skills"].split(";") if p.strip())
    return uris, phrases


def build_subset(
    esco_root: Path, out: Path, *, demo_dir: Path = HERE, max_concepts: int = 1200, siblings_per_seed: int = 12
) -> dict[str, int]:
    skills_path = _find(esco_root, "skills_en.csv")
    if skills_path is None:
        raise SystemExit(f"no skills_en.csv below {esco_root}")
    skill_header, skill_rows = _read(skills_path)
    groups_path = _find(esco_root, "skillGroups_en.csv")
    group_header, group_rows = _read(groups_path) if groups_path else ([], [])
    rel_path = _find(esco_root, "broaderRelationsSkillPillar.csv")
    rel_header, rel_rows = _read(rel_path) if rel_path else ([], [])
    ssr_path = _find(esco_root, "skillSkillRelations.csv")
    _, ssr_rows = _read(ssr_path) if ssr_path else ([], [])

    skills = {r["conceptUri"]: r for r in skill_rows}
    broader: dict[str, list[str]] = defaultdict(list)
    narrower: dict[str, list[str]] = defaultdict(list)
    for r in rel_rows:
        broader[r["conceptUri"]].append(r["broaderUri"])
        narrower[r["broaderUri"]].append(r["conceptUri"])
    related: dict[str, list[str]] = defaultdict(list)
    for r in ssr_rows:
        related[r["originalSkillUri"]].append(r["relatedSkillUri"])
        related[r["relatedSkillUri"]].append(r["originalSkillUri"])

    job_uris, phrases = demo_phrases(demo_dir)
    by_label: dict[str, list[str]] = defaultdict(list)
    for uri, r in skills.items():
        labels = [r["preferredLabel"], *r.get("altLabels", "").split("\n")]
        for label in labels:
            if label.strip():
                by_label[_norm(label)].append(uri)
    seeds = sorted(job_uris | {u for p in phrases for u in by_label.get(p, [])})
    missing_jobs = sorted(job_uris - set(skills))
    if missing_jobs:
        raise SystemExit(f"job skill URIs not in this release: {missing_jobs}")

    def ancestors(uri: str, acc: set[str]) -> set[str]:
        for b in broader.get(uri, []):
            if b not in acc:
                acc.add(b)
                ancestors(b, acc)
        return acc

    keep: set[str] = set(seeds)
    for s in seeds:
        ancestors(s, keep)
    # Neighbours, round-robin over the seeds so each gets its near-misses before any gets many:
    # related skills first (ESCO's own "often needed with"), then siblings sorted by URI (stable).
    queues = []
    for s in seeds:
        near = [u for u in related.get(s, []) if u in skills]
        for b in broader.get(s, []):
            near += sorted(u for u in narrower.get(b, []) if u in skills)[: siblings_per_seed * 3]
        queues.append([u for u in dict.fromkeys(near) if u not in keep][: siblings_per_seed + 4])
    added = True
    while added and len(keep) < max_concepts:
        added = False
        for q in queues:
            while q and q[0] in keep:
                q.pop(0)
            if q and len(keep) < max_concepts:
                keep.add(q.pop(0))
                added = True

    kept_skills = [r for r in skill_rows if r["conceptUri"] in keep]
    kept_groups = [r for r in group_rows if r["conceptUri"] in keep]
    kept_rel = [r for r in rel_rows if r["conceptUri"] in keep and r["broaderUri"] in keep]
    _write(out / "classification-en" / "skills_en.csv", skill_header, kept_skills)
    if group_header:
        _write(out / "classification-en" / "skillGroups_en.csv", group_header, kept_groups)
    if rel_header:
        _write(out / "relations" / "broaderRelationsSkillPillar.csv", rel_header, kept_rel)
    unmatched = sorted(p for p in phrases if p not in by_label)
    labels = sum(
        1
        + len([x for x in r.get("altLabels", "").split("\n") if x.strip()])
        + len([x for x in r.get("hiddenLabels", "").split("\n") if x.strip()])
        for r in kept_skills
    )
    return {
        "seeds": len(seeds),
        "skills": len(kept_skills),
        "groups": len(kept_groups),
        "broader_links": len(kept_rel),
        "labels": labels,
        "demo_phrases": len(phrases),
        "phrases_without_exact_concept": len(unmatched),
        "bytes": sum(p.stat().st_size for p in out.rglob("*.csv")),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("esco_root", type=Path, help="an ESCO CSV release folder (e.g. esco-v1.1.1)")
    ap.add_argument("--out", type=Path, default=HERE / "esco")
    ap.add_argument("--max-concepts", type=int, default=1200)
    args = ap.parse_args(argv)
    stats = build_subset(args.esco_root, args.out, max_concepts=args.max_concepts)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
