"""The outcome of verifying one credential: named checks and the overall status (no Django)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

VERIFIED, UNVERIFIED, FAILED, EXPIRED, REVOKED = "verified", "unverified", "failed", "expired", "revoked"
INTACT = "intact"
# What each status proves, in the words the API and the command print beside it (docs/credentials.md).
MEANING = {
    VERIFIED: "the proof holds with a key tied to the issuer outside the file (did:key issuer, did:web or "
    "issuer profile, or an operator-registered key)",
    INTACT: "intact, issuer not confirmed: the proof holds, but only with a key the credential carries itself; "
    "the file is unchanged since it was signed, nothing says the named issuer signed it",
    UNVERIFIED: "not proven: unsigned, or a key, status or document could not be checked",
    FAILED: "a check did not hold: tampered, malformed, or signed by a key that is not the issuer's",
    EXPIRED: "past its validity end date",
    REVOKED: "revoked or suspended by its issuer",
}


@dataclass
class Check:
    """One check. ``ok`` is True (held), False (did not hold) or None (could not be checked, e.g. offline)."""

    name: str
    ok: bool | None
    detail: str = ""


@dataclass
class Skill:
    """A skill the credential attests: its label and, where given, the framework URI (ESCO or other)."""

    name: str
    uri: str | None = None
    framework: str | None = None


@dataclass
class VerificationResult:
    """Everything ``verify_credential`` prints and the importer stores."""

    format: str = "unknown"
    checks: list[Check] = field(default_factory=list)
    issuer: str | None = None
    issuer_id: str | None = None
    title: str | None = None
    description: str | None = None
    skills: list[Skill] = field(default_factory=list)
    level: dict[str, Any] | None = None  # {"framework": "EQF", "value": 6, "source": "..."}
    issued: str | None = None
    expires: str | None = None
    hours: float | None = None
    ects: float | None = None
    credential: dict[str, Any] | None = None  # the parsed credential (payload of a JWT/JAdES envelope)
    inner: list[VerificationResult] = field(default_factory=list)  # CLR: each embedded credential
    # Flags set by the verifiers; ``status`` is derived from them.
    proven: bool = False  # a proof was checked with a key bound to the issuer
    intact: bool = False  # a proof was checked with a key only the credential vouches for
    failed: bool = False
    revoked: bool = False
    expired: bool = False
    uncertain: bool = False  # something that matters (status, hosted copy) could not be checked

    def add(self, name: str, ok: bool | None, detail: str = "") -> Check:
        check = Check(name, ok, detail)
        self.checks.append(check)
        if ok is False:
            self.failed = True
        return check

    @property
    def status(self) -> str:
        if self.failed:
            return FAILED
        if self.revoked:
            return REVOKED
        if self.expired:
            return EXPIRED
        if self.proven and not self.uncertain:
            return VERIFIED
        if self.intact and not self.uncertain:
            return INTACT
        return UNVERIFIED

    @property
    def failing_check(self) -> str | None:
        """The name of the first check that did not hold (what the table and the upload page show)."""
        for c in self.checks:
            if c.ok is False:
                return c.name
        if self.status in (UNVERIFIED, INTACT):
            for c in self.checks:
                if c.ok is None:
                    return c.name
        return None

    def as_dict(self, *, file: str | None = None) -> dict[str, Any]:
        """The docs/architecture.md ``verify_credential`` line (plus a few extra keys)."""
        out: dict[str, Any] = {}
        if file is not None:
            out["file"] = file
        out.update(
            {
                "format": self.format,
                "status": self.status,
                "meaning": MEANING[self.status],
                "checks": [asdict(c) for c in self.checks],
                "issuer": self.issuer,
                "title": self.title,
                "skills": [s.name for s in self.skills],
                "level": self.level,
                "issued": self.issued,
                "expires": self.expires,
                "hours": self.hours,
                "ects": self.ects,
                "alignments": [asdict(s) for s in self.skills if s.uri or s.framework],
            }
        )
        if self.inner:
            out["inner"] = [i.as_dict() for i in self.inner]
        return out
