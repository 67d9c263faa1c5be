from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.esco_files import URI, write_skills_csv

SKILLS = [
    # uri suffix, preferred, alt labels, broader
    ("sql", "SQL", ["structured query language"], "db"),
    ("db", "database management", ["manage databases"], None),
    ("py", "Python (computer programming)", ["Python", "python programming"], None),
    ("tile-install", "install tile flooring", ["lay floor tiles"], None),
    ("tile-maint", "maintain tile flooring", ["repair floor tiles"], None),
    ("nurse", "administer medication", ["give medicines to patients"], None),
]


def write_esco(root: Path, skills=SKILLS, fr: dict | None = None) -> Path:
    (root / "classification-en").mkdir(parents=True)
    (root / "relations").mkdir()
    write_skills_csv(root / "classification-en" / "skills_en.csv", [(uid, pref, alts) for uid, pref, alts, _ in skills])
    with (root / "relations" / "broaderRelationsSkillPillar.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["conceptType", "conceptUri", "broaderType", "broaderUri"])
        for uid, _, _, broader in skills:
            if broader:
                w.writerow(["KnowledgeSkillCompetence", URI + uid, "KnowledgeSkillCompetence", URI + broader])
    if fr:
        with (root / "skills_fr.csv").open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(
                ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "description"]
            )
            for uid, label in fr.items():
                w.writerow(["KnowledgeSkillCompetence", URI + uid, "skill/competence", "", label, "", ""])
    return root


@pytest.fixture
def esco_dir(tmp_path):
    return write_esco(tmp_path / "esco", fr={"sql": "langage SQL"})


@pytest.fixture
def taxonomy(db, esco_dir):
    from apps.skills.services import taxonomy_import

    return taxonomy_import(root=esco_dir)
