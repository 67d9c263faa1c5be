"""Delete audit events older than the retention period (TSUMIKI_AUDIT_RETENTION_DAYS, default 200).

Run it daily (cron or Celery beat). Retention below six months is refused: deployers of high-risk AI
systems must keep logs at least that long (EU AI Act art. 26(6)).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.accounts.models import AuditEvent

MIN_RETENTION_DAYS = 183


class Command(BaseCommand):
    help = "Delete audit events older than TSUMIKI_AUDIT_RETENTION_DAYS (at least 183 days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override TSUMIKI_AUDIT_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        days = settings.TSUMIKI_AUDIT_RETENTION_DAYS if days is None else days
        if days < MIN_RETENTION_DAYS:
            raise CommandError(
                f"Retention of {days} days is below the minimum of {MIN_RETENTION_DAYS} (six months)."
            )
        cutoff = timezone.now() - timedelta(days=days)
        if dry_run:
            n = AuditEvent.objects.filter(created_at__lt=cutoff).count()
            self.stdout.write(f"{n} audit events older than {cutoff:%Y-%m-%d} would be deleted.")
            return
        n = AuditEvent.objects.purge_older_than(cutoff)
        self.stdout.write(f"Deleted {n} audit events older than {cutoff:%Y-%m-%d} ({days} days).")
