"""Creating a job seeker account from an invitation link, for the many invited people who have none.

Only a pending invitation (apps.wallet.invitations: signed, unexpired, not revoked, not used) lets
anyone sign up, and only for the address it was sent to: the account's login address is the invited
one, never one typed in. One address gets one seeker account: when a seeker account already has it
(as its login's or its own profile's address), sign-up is refused and the person logs in instead.

The account is a seeker of an organization of its own (a personal one, created here), holding an
empty own profile: the seeker's evidence lives there, and no organization, the inviting one
included, sees anything until the seeker consents on the invitation page, which then gives the
inviting organization a copy like any share (apps.wallet.services.profile_share).

Attempts are limited per client address (``TSUMIKI_SIGNUP_RATE``, counted in the default cache like
the API's rate limits), and each account created is recorded in its own organization's audit log
with ids only."""

from __future__ import annotations

import math
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.throttling import SimpleRateThrottle

from apps.accounts.audit import SEEKER_SIGNED_UP, audit_record
from apps.accounts.models import Role, User
from apps.accounts.services import organization_create, user_create
from apps.candidates.models import Candidate

from .invitations import check_pending
from .models import ProfileInvitation

# Why a sign-up is refused (SignupError.code).
ACCOUNT_EXISTS = "account_exists"
USERNAME_TAKEN = "username_taken"
THROTTLED = "throttled"


class SignupError(ValueError):
    """A sign-up that cannot go ahead, with a message for the person and a code (above)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class _SignupThrottle(SimpleRateThrottle):
    """DRF's sliding-window counter (the one behind the API's limits), keyed by the client address
    instead of a request's user."""

    scope = "invitation_signup"

    def __init__(self, client: str) -> None:  # the rate is read on every use, so a settings change applies
        self.client = client
        self.rate = settings.TSUMIKI_SIGNUP_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.client}


def _throttle(client: str) -> None:
    throttle = _SignupThrottle(client or "unknown")
    if not throttle.allow_request(None, None):
        minutes = max(1, math.ceil((throttle.wait() or 0) / 60))
        raise SignupError(
            ngettext(
                "Too many accounts were attempted from your network. Try again in %(minutes)s minute.",
                "Too many accounts were attempted from your network. Try again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
            THROTTLED,
        )


def seeker_account_for(address: str) -> User | None:
    """The job seeker account that already has ``address`` (its login's, or its own profile's; any
    case), or None."""
    address = (address or "").strip()
    if not address:
        return None
    # a profile the seeker keeps themselves (not a copy an organization holds) counts as theirs
    own_profile = Q(candidate_profiles__email__iexact=address, candidate_profiles__shared_from__isnull=True)
    return (
        User.objects.filter(memberships__role=Role.SEEKER)
        .filter(Q(email__iexact=address) | own_profile)
        .order_by("id")
        .first()
    )


def seeker_signup(
    *, invitation: ProfileInvitation, username: str, password: str, display_name: str = "", client: str
) -> User:
    """Create the invited person's job seeker account (login address: the invited one), their own
    organization and empty own profile, in one transaction. ``client`` is the address the request
    came from, for the rate limit. Raises InvitationUnusable when the invitation was revoked, used or
    expired meanwhile, and SignupError when the address already has a seeker account, the username
    is taken or the client has made too many attempts. Passwords are checked by the form (Django's
    validators), not here."""
    _throttle(client)
    display_name = " ".join((display_name or "").split())[:200]
    with transaction.atomic():
        # two sign-ups from one invitation at once: the second waits, then finds the first's account
        invitation = ProfileInvitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
        check_pending(invitation)
        address = invitation.email.strip()
        if seeker_account_for(address) is not None:
            raise SignupError(
                _("There is already a Tsumiki job seeker account for this address. Log in instead."), ACCOUNT_EXISTS
            )
        taken = SignupError(_("This username is taken. Choose another."), USERNAME_TAKEN)
        if User.objects.filter(username__iexact=username).exists():
            raise taken
        home = organization_create(
            slug=f"seeker-{secrets.token_hex(6)}",
            name=_("%(name)s (personal)") % {"name": display_name or username},
        )
        try:
            with transaction.atomic():
                user = user_create(
                    username=username, password=password, organization=home, role=Role.SEEKER, email=address
                )
        except IntegrityError:  # the same username, taken a moment ago
            raise taken from None
        Candidate.objects.create(
            organization=home,
            user=user,
            external_id=f"own-{user.pk}",
            name=display_name,
            email=user.email,  # as the login keeps it (the domain in lower case)
            consent_given=True,
        )
        audit_record(
            organization=home,
            actor=user,
            action=SEEKER_SIGNED_UP,
            obj=user,
            details={
                "user_id": user.pk,
                "invitation_id": invitation.pk,
                "inviting_organization_id": invitation.organization_id,
            },
        )
    return user
