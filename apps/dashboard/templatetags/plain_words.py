"""Plain, translated words for what the machinery says in its own terms: why a match run failed, what a
credential check is called, why an upload could not be read. Templates load it as ``plain_words``."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Why a match run failed, from the error its worker stored (MatchRun.error: the exception's text, or
# Celery's, e.g. "WorkerLostError('Worker exited prematurely: signal 9 (SIGKILL)')"). First match wins.
RUN_FAILURES: tuple[tuple[re.Pattern, object], ...] = (
    (
        re.compile(r"WorkerLostError|SIGKILL|signal 9|exited prematurely|MemoryError|out of memory", re.I),
        _(
            "A worker process stopped in the middle of scoring — usually because the machine ran out of "
            "memory or the worker was restarted. No scores were lost; run the match again."
        ),
    ),
    (
        re.compile(r"TimeLimitExceeded|SoftTimeLimit|timed? ?out|timeout", re.I),
        _(
            "Scoring took longer than the time limit for one task. Run the match again; a larger pool may "
            "need more workers."
        ),
    ),
    (
        re.compile(
            r"broker|kombu|amqp|redis|ConnectionRefused|Connection refused|OperationalError|could not connect|"
            r"database is locked|InterfaceError",
            re.I,
        ),
        _(
            "The task queue or the database could not be reached while the match ran. When the service is "
            "back, run the match again."
        ),
    ),
    (
        re.compile(r"no required skills", re.I),
        _("The job had no required skills when the match started. Add at least one skill, then run the match again."),
    ),
    (
        re.compile(r"stale|lost|sweep", re.I),
        _("The run stopped answering and was given up. Run the match again."),
    ),
)
RUN_FAILURE_DEFAULT = _(
    "Something went wrong while scoring. Run the match again; if it fails again, tell your administrator "
    "(the technical details below help them)."
)


@register.filter
def run_failure_reason(error: str | None) -> str:
    """A failed run's reason in plain words (the raw error stays available, folded, for administrators)."""
    return _first_reason(error, RUN_FAILURES, RUN_FAILURE_DEFAULT)


def _first_reason(text: str | None, reasons, default) -> str:
    """The words of the first (pattern, words) of ``reasons`` whose pattern is found in ``text``."""
    for pattern, words in reasons:
        if pattern.search(text or ""):
            return str(words)
    return str(default)


# Credential verification checks by name (apps.credentials.verify: VerificationResult.checks).
CHECK_LABELS = {
    "input": _("File"),
    "structure": _("Format"),
    "context": _("JSON-LD context"),
    "proof": _("Signature"),
    "key": _("Issuer's key"),
    "issuer": _("Issuer"),
    "status": _("Revocation status"),
    "validity": _("Validity dates"),
    "recipient": _("Recipient"),
    "badge": _("Badge"),
    "seal": _("Electronic seal"),
    "summary": _("Summary"),
    "internal": _("Internal check"),
}


@register.filter
def check_label(name: str) -> str:
    return str(CHECK_LABELS.get(name, name))


# Why a file could not be read (the "input" check's detail, apps.credentials.verify.safeload.InputError),
# in words a job seeker can act on. The parser's own text ("line 1 column 77 (char 76)") is never shown.
UPLOAD_REASONS: tuple[tuple[re.Pattern, object], ...] = (
    (re.compile(r"^empty input"), _("The file is empty.")),
    (re.compile(r"over the .*limit"), _("The file is larger than the upload limit.")),
    (
        re.compile(r"^not valid JSON"),
        _(
            "This file is not a complete credential: its JSON text is broken or cut off (for example a "
            "missing bracket or quote). Download the credential again from the issuer and upload that file."
        ),
    ),
    (re.compile(r"nested deeper"), _("The file is nested too deeply to be a credential, so it was refused.")),
    (
        re.compile(r"holds only a URL"),
        _("This badge only points to a web address. Open it, download the badge file itself, then upload that."),
    ),
    (
        re.compile(r"not baked|SVG badge element is empty"),
        _("This image does not contain a badge. Upload the badge image your issuer sent (a “baked” PNG or SVG)."),
    ),
    (re.compile(r"not a PNG|truncated PNG|corrupt compressed"), _("The image file is damaged or incomplete.")),
    (re.compile(r"decompression bomb"), _("The image unpacks to far more data than a badge holds, so it was refused.")),
    (
        re.compile(r"JWS|three parts|JWT"),
        _("The pasted token is not a complete credential (JWT). Copy it again in full."),
    ),
    (
        re.compile(r"XML documents"),
        _("XML credentials are not supported yet. Ask the issuer for the JSON version of the credential."),
    ),
    (
        re.compile(r"not JSON and not a compact JWT|not UTF-8 text|not an object"),
        _(
            "This does not look like a credential file. Tsumiki reads Open Badges (JSON, JWT or a baked "
            "PNG/SVG image), CLR transcripts and European Digital Credentials."
        ),
    ),
)
UPLOAD_REASON_DEFAULT = _("The file could not be read as a credential.")

# What a failed check means for the person holding the credential.
FAILED_CHECK_WORDS = {
    "proof": _(
        "The signature does not match: the credential was changed after it was issued, or it was not "
        "signed by this issuer."
    ),
    "key": _("The issuer's signing key could not be found or does not belong to the issuer."),
    "issuer": _("The issuer could not be confirmed."),
    "status": _("The issuer has revoked this credential."),
    "validity": _("The credential has expired or is not valid yet."),
    "structure": _("The credential is missing information that its format requires."),
    "recipient": _("The credential was issued to someone else (its recipient does not match your profile)."),
    "seal": _("The electronic seal could not be verified."),
    "context": _("The credential refers to definitions Tsumiki does not know."),
}


@register.filter
def upload_reason(detail: str | None) -> str:
    """The plain reason a file could not be read, from the input check's detail."""
    return _first_reason(detail, UPLOAD_REASONS, UPLOAD_REASON_DEFAULT)


@register.filter
def failed_check_words(name: str) -> str:
    return str(FAILED_CHECK_WORDS.get(name, ""))


# The adverse-impact report's dimensions (apps.fairness.report.DIMENSIONS) and coded group values; free-text
# values that people wrote themselves (gender, ethnicity) are shown as written.
DIMENSION_LABELS = {"gender": _("Gender"), "age_band": _("Age band"), "ethnicity": _("Ethnicity")}
FLAG_LABELS = {"scoring": _("scoring"), "selection": _("selection")}
_JOIN = " × "


@register.filter
def dimension_label(dimension: str) -> str:
    """``"gender × age_band"`` in words of the page's language."""
    return _JOIN.join(str(DIMENSION_LABELS.get(d, d)) for d in (dimension or "").split(_JOIN))


# apps.candidates.models.AgeBand's values (tests/dashboard/test_errors.py checks that none is missing)
AGE_BAND_LABELS = {
    "under_25": _("Under 25"),
    "25_39": _("25 to 39"),
    "40_54": _("40 to 54"),
    "55_plus": _("55 or over"),
}


@register.filter
def group_label(group: str) -> str:
    """A group (or an intersection of groups) with coded values in words: ``"25_39"`` → "25 to 39"."""
    return _JOIN.join(str(AGE_BAND_LABELS.get(g, g)) for g in (group or "").split(_JOIN))


@register.filter
def flag_labels(flags) -> str:
    return ", ".join(str(FLAG_LABELS.get(f, f)) for f in flags or [])
