"""The interchange format now lives in apps.core.interchange (shared by the API, imports and the
CLI); this module re-exports it for the imports that still name it here."""

from apps.core.interchange import (  # noqa: F401
    CANDIDATE,
    CREDENTIAL,
    CREDENTIAL_KINDS,
    JOB,
    LEVEL,
    SKILL_REQUIREMENT,
    CandidateDoc,
    CredentialDoc,
    InterchangeError,
    JobDoc,
    Level,
    SkillReq,
    iter_candidates_jsonl,
    parse_candidate,
    parse_job,
)
