"""CV import without Django: read a PDF, DOCX, text, JSON Resume or LER-RS file into a draft profile
(docs/resume.md). apps.candidates.services.resume_parse binds it to the taxonomy."""

from .draft import Draft, ExperienceEntry, Skill, parse
from .readers import MAX_BYTES, MAX_PAGES, MAX_SECONDS, NO_TEXT_LAYER, ResumeError

__all__ = [
    "MAX_BYTES",
    "MAX_PAGES",
    "MAX_SECONDS",
    "NO_TEXT_LAYER",
    "Draft",
    "ExperienceEntry",
    "ResumeError",
    "Skill",
    "parse",
]
