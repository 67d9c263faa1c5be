"""Reading an ESCO CSV release folder (no Django): skills, labels, hierarchy, occupations."""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

csv.field_size_limit(sys.maxsize)
_LANG_FILE = re.compile(r"^skills_([a-z]{2,3})\.csv$")


@dataclass
class EscoSkill:
    uri: str
    preferred: dict[str, str] = field(default_factory=dict)  # lang -> label
    alternatives: dict[str, list[str]] = field(default_factory=dict)
    hidden: dict[str, list[str]] = field(default_factory=dict)
    description: str = ""
    skill_type: str = ""
    reuse_level: str = ""
    is_group: bool = False


@dataclass
class EscoRelease:
    skills: dict[str, EscoSkill]
    broader: list[tuple[str, str]]  # (narrower uri, broader uri)
    occupations: list[tuple[str, str, str]]  # (uri, label, description)
    occupation_skills: list[tuple[str, str, str]]  # (occupation uri, skill uri, relation)
    languages: list[str]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        yield from csv.DictReader(f)


def _split(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").split("\n") if x.strip()]


def find(root: Path, name: str) -> Path | None:
    hits = sorted(root.rglob(name))
    return hits[0] if hits else None


def read_release(root: Path) -> EscoRelease:
    """Read what a release folder holds; ``skills_en.csv`` is required, the rest optional."""
    root = Path(root)
    main = find(root, "skills_en.csv")
    if main is None:
        raise FileNotFoundError(f"no skills_en.csv found below {root}")
    skills: dict[str, EscoSkill] = {}
    langs = ["en"]

    def load(path: Path, lang: str, *, create: bool) -> None:
        for r in _rows(path):
            uri = (r.get("conceptUri") or "").strip()
            if not uri:
                continue
            s = skills.get(uri)
            if s is None:
                if not create:
                    continue  # a label for a concept this release does not have
                s = skills[uri] = EscoSkill(uri=uri)
            pref = (r.get("preferredLabel") or "").strip()
            if pref:
                s.preferred[lang] = pref
            s.alternatives[lang] = _split(r.get("altLabels"))
            s.hidden[lang] = _split(r.get("hiddenLabels"))
            if lang == "en":
                s.description = (r.get("description") or r.get("definition") or "").strip()
                s.skill_type = (r.get("skillType") or "").strip()
                s.reuse_level = (r.get("reuseLevel") or "").strip()

    load(main, "en", create=True)
    groups = find(root, "skillGroups_en.csv")
    if groups:
        for r in _rows(groups):
            uri = (r.get("conceptUri") or "").strip()
            if uri and uri not in skills:
                skills[uri] = EscoSkill(
                    uri=uri,
                    preferred={"en": (r.get("preferredLabel") or "").strip()},
                    description=(r.get("description") or "").strip(),
                    is_group=True,
                )
    for path in sorted(root.rglob("skills_*.csv")):
        m = _LANG_FILE.match(path.name)
        if m and m.group(1) != "en":
            load(path, m.group(1), create=False)
            langs.append(m.group(1))
    broader: list[tuple[str, str]] = []
    rel = find(root, "broaderRelationsSkillPillar.csv") or find(root, "broaderRelationsSkillPillar_en.csv")
    if rel:
        for r in _rows(rel):
            a, b = (r.get("conceptUri") or "").strip(), (r.get("broaderUri") or "").strip()
            if a in skills and b in skills:
                broader.append((a, b))
    occupations: list[tuple[str, str, str]] = []
    occ = find(root, "occupations_en.csv")
    if occ:
        for r in _rows(occ):
            occupations.append(
                (r["conceptUri"].strip(), r["preferredLabel"].strip(), (r.get("description") or "").strip())
            )
    occ_skills: list[tuple[str, str, str]] = []
    osr = find(root, "occupationSkillRelations.csv") or find(root, "occupationSkillRelations_en.csv")
    if osr and occupations:
        for r in _rows(osr):
            if r.get("skillUri", "").strip() in skills:
                occ_skills.append((r["occupationUri"].strip(), r["skillUri"].strip(), r["relationType"].strip()))
    return EscoRelease(skills, broader, occupations, occ_skills, sorted(set(langs)))
