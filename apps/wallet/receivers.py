"""Keep live shares up to date and end every share when the seeker's own profile is erased."""

from __future__ import annotations

from django.dispatch import receiver

from apps.candidates.signals import candidate_erasing, candidate_evidence_changed, candidates_stored
from apps.credentials.signals import credentials_imported

from .models import ProfileShare, ShareMode


@receiver(credentials_imported, dispatch_uid="wallet.refresh_live_shares")
@receiver(candidate_evidence_changed, dispatch_uid="wallet.refresh_live_shares_on_edit")
def on_evidence_changed(sender, candidate, **kwargs) -> None:
    """The seeker's profile gained, changed or lost evidence (after commit): live copies follow."""
    from .services import share_refresh

    for share in ProfileShare.objects.filter(source=candidate, mode=ShareMode.LIVE, revoked_at__isnull=True):
        share_refresh(share=share)


@receiver(candidate_erasing, dispatch_uid="wallet.erase_everywhere")
def on_candidate_erasing(sender, candidate, **kwargs) -> None:
    """Erasing the seeker's own profile erases every organization's copy of it too."""
    from .services import share_revoke

    for share in ProfileShare.objects.filter(source=candidate, revoked_at__isnull=True):
        share_revoke(share=share, actor=None)


@receiver(candidates_stored, dispatch_uid="wallet.refresh_live_shares_on_store")
def on_candidates_stored(sender, candidates, **kwargs) -> None:
    """A profile replaced through an import or a confirmed CV: its live copies follow once committed."""
    from django.db import transaction

    from .services import share_refresh

    ids = [c.pk for c in candidates]
    shares = list(ProfileShare.objects.filter(source_id__in=ids, mode=ShareMode.LIVE, revoked_at__isnull=True))
    for share in shares:
        transaction.on_commit(lambda s=share: share_refresh(share=s), robust=True)
