"""``verify_credential FILE [FILE...]``: parse and verify credential files, one JSON line per file
(docs/architecture.md).

``--table DIR`` prints a Markdown table (file, format, status, failing check) of every file below DIR instead.
Exit status is 0 even when credentials fail verification; non-zero only for unusable arguments.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.credentials.verify import VerifyOptions, load_documents_map, verify_bytes
from apps.credentials.verify.result import VerificationResult


def options_from_settings(*, network: bool | None = None, **overrides) -> VerifyOptions:
    """Verifier options from Django settings, overridable per call. Every verify path (this command, the API
    upload, the seeker upload page) builds its options here.

    Documents not mapped locally (CREDENTIALS_VERIFY_DOCUMENTS) are fetched through the SSRF-safe fetcher
    (apps.api.fetcher) while the product's network use is on (TSUMIKI_FETCH_ENABLED; ``network`` overrides
    it): did:web DID documents, issuer profiles, status lists. Issuer keys an operator vouches for come from
    CREDENTIALS_REGISTERED_KEYS (verificationMethod id → JWK, PEM or multikey)."""
    from apps.api.fetcher import fetch_json, policy_from_settings

    policy = policy_from_settings(
        timeout=float(getattr(settings, "CREDENTIALS_VERIFY_TIMEOUT", 3.0)),
        **({"enabled": network} if network is not None else {}),
    )
    values = {
        "max_bytes": getattr(settings, "CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024),
        "registered_keys": getattr(settings, "CREDENTIALS_REGISTERED_KEYS", {}),
        "documents": getattr(settings, "CREDENTIALS_VERIFY_DOCUMENTS", {}),
        "fetcher": (lambda url: fetch_json(url, policy=policy)) if policy.enabled else None,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return VerifyOptions(**values)


def verify_path(path: Path, opts: VerifyOptions) -> VerificationResult:
    """Verify one file, reading no more than the size limit (+1 byte, to notice an oversized file)."""
    with path.open("rb") as fh:
        data = fh.read(opts.max_bytes + 1)
    return verify_bytes(data, options=opts)


class Command(BaseCommand):
    help = "Verify credential files (Open Badges 2.0/3.0, CLR 2.0, VC-JWT, EDC; JSON, JWT, baked PNG/SVG)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="credential files")
        parser.add_argument("--table", metavar="DIR", help="print a Markdown table for every file below DIR")
        parser.add_argument(
            "--documents",
            metavar="MAP.json",
            help="JSON map URL (or URL prefix ending in /) → local file: DID documents, status "
            "lists, OB 2.0 badge/issuer/key documents; paths relative to the map file",
        )
        parser.add_argument(
            "--network",
            action="store_true",
            help="fetch unmapped documents (DID documents, issuer profiles, status lists) over HTTPS even where "
            "TSUMIKI_FETCH_ENABLED is off; always through the SSRF-safe fetcher",
        )
        parser.add_argument("--max-bytes", type=int, help="size limit per file (default 5 MB)")

    def handle(self, *args, **opts):
        files, table = opts["files"], opts["table"]
        if not files and not table:
            raise CommandError("give at least one FILE, or --table DIR")
        documents = None
        if opts["documents"]:
            try:
                documents = load_documents_map(opts["documents"])
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read --documents map: {exc}") from exc
        if opts["max_bytes"] is not None and opts["max_bytes"] <= 0:
            raise CommandError("--max-bytes must be positive")
        vopts = options_from_settings(
            documents=documents,
            max_bytes=opts["max_bytes"],
            network=True if opts["network"] else None,
        )
        if table:
            root = Path(table)
            if not root.is_dir():
                raise CommandError(f"{table} is not a directory")
            self.stdout.write("| file | format | status | failing check |\n|---|---|---|---|")
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                r = verify_path(path, vopts)
                self.stdout.write(f"| {path.relative_to(root)} | {r.format} | {r.status} | {r.failing_check or ''} |")
            return
        for name in files:
            path = Path(name)
            if not path.is_file():
                line = {
                    "file": name,
                    "format": "unknown",
                    "status": "failed",
                    "checks": [{"name": "input", "ok": False, "detail": "no such file"}],
                    "issuer": None,
                    "title": None,
                    "skills": [],
                    "level": None,
                    "issued": None,
                }
            else:
                line = verify_path(path, vopts).as_dict(file=name)
            self.stdout.write(json.dumps(line, ensure_ascii=False, default=str))
