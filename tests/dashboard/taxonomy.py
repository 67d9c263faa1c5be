"""A tiny ESCO-shaped taxonomy for the job editor's autocomplete and skill suggestions (dashboard and
browser tests). Small on purpose: importing it embeds a few dozen labels, well under a second."""

from __future__ import annotations

from pathlib import Path

from tests.esco_files import write_skills_csv

SKILLS = [
    # uri suffix, preferred label, alternative labels
    ("sql", "SQL", ["structured query language"]),
    ("python", "Python (computer programming)", ["Python", "python programming"]),
    ("dataviz", "present data visually", ["data visualisation", "data visualization"]),
    ("stats", "apply statistical analysis techniques", ["statistics", "statistical analysis"]),
    ("spreadsheets", "use spreadsheets software", ["spreadsheets", "Excel"]),
    ("ml", "machine learning", ["ML"]),
    ("pm", "perform project management", ["project management"]),
    ("tiles", "install tile flooring", ["lay floor tiles"]),
]


def write_tiny_esco(root: Path) -> Path:
    (root / "classification-en").mkdir(parents=True)
    write_skills_csv(root / "classification-en" / "skills_en.csv", SKILLS)
    return root


def import_tiny_taxonomy(tmp_path: Path):
    from apps.skills import selectors
    from apps.skills.services import taxonomy_import

    report = taxonomy_import(root=write_tiny_esco(tmp_path / "esco"))
    selectors._index = None  # the index is cached per process; rebuild it from this database
    return report
