"""Delete audit events older than the retention period (TSUMIKI_AUDIT_RETENTION_DAYS, default 200).

Celery beat runs the same purge daily (apps.accounts.tasks.audit_purge); this command is for cron-only
deployments and for a dry run. Retention below six months is refused: deployers of high-risk AI systems
must keep logs at least that long (EU AI Act art. 26(6)).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.audit import MIN_RETENTION_DAYS, RetentionTooShort, audit_purge


class Command(BaseCommand):
    help = f"Delete audit events older than TSUMIKI_AUDIT_RETENTION_DAYS (at least {MIN_RETENTION_DAYS} days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override TSUMIKI_AUDIT_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        try:
            r = audit_purge(days=days, dry_run=dry_run)
        except RetentionTooShort as e:
            raise CommandError(str(e)) from None
        if r.dry_run:
            self.stdout.write(f"{r.deleted} audit events older than {r.cutoff:%Y-%m-%d} would be deleted.")
        else:
            self.stdout.write(f"Deleted {r.deleted} audit events older than {r.cutoff:%Y-%m-%d} ({r.days} days).")
