"""The skills file of a tiny ESCO-shaped release for tests: ESCO's skills_en.csv columns, as
apps.skills.esco reads them, for a handful of skills."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

URI = "http://data.europa.eu/esco/skill/"
SKILLS_COLUMNS = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
]


def write_skills_csv(path: Path, skills: Iterable[tuple[str, str, list[str]]]) -> None:
    """``skills``: (URI suffix, preferred label, alternative labels), each a released cross-sector skill
    described as "About <preferred label>."."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(SKILLS_COLUMNS)
        for uid, pref, alts in skills:
            w.writerow(
                [
                    "KnowledgeSkillCompetence",
                    URI + uid,
                    "skill/competence",
                    "cross-sector",
                    pref,
                    "\n".join(alts),
                    "",
                    "released",
                    "",
                    "",
                    "",
                    "",
                    f"About {pref}.",
                ]
            )
