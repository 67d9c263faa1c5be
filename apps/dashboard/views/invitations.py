"""Invitations to share a profile (apps.wallet.invitations): a recruiter sends and revokes them from a
job's page; the invited person opens the mailed link, logs in or creates a job seeker account there
(apps.wallet.signup), sees what would be shared and consents."""

from __future__ import annotations

from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordMixin, UserCreationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import Role, User
from apps.wallet import invitations as inv
from apps.wallet import signup
from apps.wallet.models import INVITATION_MAX_AGE, ProfileInvitation, ProfileShare, ShareMode
from apps.wallet.services import ShareError, home_profile

from .. import selectors as sel
from .access import forbidden, recruiter_required

FOR_JOB, FOR_POOL = "job", "pool"


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    scope = forms.ChoiceField(
        label=gettext_lazy("Share for"),
        choices=[
            (FOR_JOB, gettext_lazy("This job")),
            (FOR_POOL, gettext_lazy("The organization's talent pool (any job)")),
        ],
        initial=FOR_JOB,
        widget=forms.RadioSelect,
    )


class SignupForm(UserCreationForm):
    """A job seeker account from an invitation: username, an optional display name, and the password
    twice, checked by Django's password validators (against the invited address too)."""

    display_name = forms.CharField(
        label=gettext_lazy("Display name (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Your name as organizations see it once you share your profile."),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=gettext_lazy("Password"), label2=gettext_lazy("Password again")
    )
    field_order = ["username", "display_name", "password1", "password2"]

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].help_text = _("What you log in with: letters, digits and @ . + - _ only.")


def invitations_panel(*, request: HttpRequest, job, form: InvitationForm | None = None) -> dict:
    """The job page's invitation form and the invitations sent for this job or the talent pool."""
    return {
        "invite_form": form or InvitationForm(),
        "invitations": inv.invitations_sent(organization=request.organization, job=job),
        "invite_cap": settings.TSUMIKI_INVITATIONS_PER_HOUR,
    }


def _link_for(request: HttpRequest):
    base = settings.TSUMIKI_PUBLIC_URL.rstrip("/")

    def link(token: str) -> str:
        path = reverse("dashboard:invitation", args=[token])
        return base + path if base else request.build_absolute_uri(path)

    return link


@recruiter_required
@require_POST
def invitation_send(request: HttpRequest, job_id: int) -> HttpResponse:
    from .recruiter import job_detail_page

    job = sel.job_get(organization=request.organization, job_id=job_id)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            inv.invitation_send(
                organization=request.organization,
                job=job if form.cleaned_data["scope"] == FOR_JOB else None,
                email=form.cleaned_data["email"],
                invited_by=request.user,
                link_for=_link_for(request),
            )
        except inv.InvitationError as e:
            form.add_error("email", str(e))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect(reverse("dashboard:job", args=[job.id]) + "#invitations")
    return job_detail_page(request, job, invite_form=form, status=400)


@recruiter_required
@require_POST
def invitation_revoke(request: HttpRequest, job_id: int, invitation_id: int) -> HttpResponse:
    job = sel.job_get(organization=request.organization, job_id=job_id)
    invitation = get_object_or_404(ProfileInvitation, pk=invitation_id, organization=request.organization)
    try:
        inv.invitation_revoke(invitation=invitation, actor=request.user)
    except inv.InvitationError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request, _("Invitation to %(email)s revoked: its link no longer works.") % {"email": invitation.email}
        )
    return redirect(reverse("dashboard:job", args=[job.id]) + "#invitations")


def _unusable(request: HttpRequest, problem: inv.InvitationUnusable) -> HttpResponse:
    invitation = problem.invitation
    org = invitation.organization.name if invitation is not None else ""
    reason = problem.reason
    if reason == inv.EXPIRED:
        title = _("This invitation has expired")
        days = INVITATION_MAX_AGE.days
        if org:
            message = _("Invitation links work for %(days)s days. Ask %(org)s to send you a new one.") % {
                "org": org,
                "days": days,
            }
        else:
            message = _("Invitation links work for %(days)s days. Ask the organization to send you a new one.") % {
                "days": days
            }
        status = 410
    elif reason == inv.REVOKED:
        title = _("This invitation was withdrawn")
        message = _("%(org)s withdrew this invitation. Nothing was shared.") % {"org": org}
        status = 410
    elif reason == inv.USED:
        title = _("This invitation has already been used")
        message = _(
            "It was accepted, and an invitation link works once. See who sees your profile on your Sharing page."
        )
        status = 410
    elif reason == inv.WRONG_ACCOUNT:
        title = _("This invitation is for another address")
        message = _(
            "It was sent to %(address)s, which is not the address of the account you are signed in with "
            "(%(username)s). Log out and sign in with the account for that address."
        ) % {"address": inv.masked_email(invitation.email), "username": request.user.get_username()}
        status = 403
    else:
        title = _("This invitation link does not work")
        message = _(
            "The link is incomplete or has been changed. Open it again from the mail, or ask the "
            "organization to send a new invitation."
        )
        status = 404
    return render(
        request,
        "dashboard/invitation_unusable.html",
        {"title": title, "message": message, "reason": reason},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens: who asks, what would be shared, snapshot or live copy, and
    consent; the same choices as applying. Nobody signed in: log in, or create an account."""
    try:
        invitation = inv.invitation_from_token(token)
    except inv.InvitationUnusable as problem:
        return _unusable(request, problem)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return _welcome(request, invitation, token)
    membership = request.user.membership
    if membership is None or membership.role != Role.SEEKER:
        return forbidden(request, _("Only job seekers can accept an invitation. Sign in with your job seeker account."))
    if not inv.invitation_is_for(invitation=invitation, user=request.user):
        return _unusable(request, inv.InvitationUnusable(inv.WRONG_ACCOUNT, invitation))
    org = invitation.organization
    existing = ProfileShare.objects.filter(user=request.user, organization=org, revoked_at__isnull=True).first()
    error = ""
    if request.method == "POST":
        if request.POST.get("consent") != "yes":
            error = _("Tick the box to consent before you share.")
        else:
            try:
                inv.invitation_accept(invitation=invitation, user=request.user, mode=request.POST.get("mode", ""))
            except inv.InvitationUnusable as problem:
                return _unusable(request, problem)
            except ShareError as e:
                error = str(e)
            else:
                messages.success(request, _("You shared your profile with %(org)s.") % {"org": org.name})
                return redirect("dashboard:seeker_sharing")
    return render(
        request,
        "dashboard/invitation.html",
        {
            "invitation": invitation,
            "organization": org,
            "job": invitation.job,
            "profile": home_profile(user=request.user),
            "existing": existing,
            "error": error,
            "chosen": request.POST.get("mode", existing.mode if existing else ShareMode.SNAPSHOT),
        },
        status=400 if error else 200,
    )


def _welcome(request: HttpRequest, invitation: ProfileInvitation, token: str) -> HttpResponse:
    """The invitation as someone not signed in sees it: who asks, and the two ways on."""
    return render(
        request,
        "dashboard/invitation_welcome.html",
        {
            "invitation": invitation,
            "organization": invitation.organization,
            "job": invitation.job,
            "address": inv.masked_email(invitation.email),
            "account_exists": signup.seeker_account_for(invitation.email) is not None,
            "login_url": _login_url(token),
            "signup_url": reverse("dashboard:invitation_signup", args=[token]),
        },
    )


def _login_url(token: str) -> str:
    return reverse("dashboard:login") + "?" + urlencode({"next": reverse("dashboard:invitation", args=[token])})


@require_http_methods(["GET", "POST"])
def invitation_signup(request: HttpRequest, token: str) -> HttpResponse:
    """Create a job seeker account for the invited address, log in, and go on to the consent page. Only
    a usable invitation's link opens the form; an address with an account already is sent to log in."""
    try:
        invitation = inv.invitation_from_token(token)
    except inv.InvitationUnusable as problem:
        return _unusable(request, problem)
    if request.user.is_authenticated:
        return redirect("dashboard:invitation", token=token)
    account_exists = signup.seeker_account_for(invitation.email) is not None
    posted = request.method == "POST" and not account_exists
    # the instance carries the address, so a validator comparing the password with it sees it
    form = SignupForm(request.POST if posted else None, instance=User(email=invitation.email))
    status = 200
    if posted and form.is_valid():
        try:
            user = signup.seeker_signup(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                client=get_client_ip_address(request) or "",
            )
        except inv.InvitationUnusable as problem:
            return _unusable(request, problem)
        except signup.SignupError as e:
            if e.code == signup.ACCOUNT_EXISTS:
                account_exists = True
            elif e.code == signup.USERNAME_TAKEN:
                form.add_error("username", str(e))
            else:
                form.add_error(None, str(e))
                status = 429
        else:
            login(request, user, backend="apps.accounts.backends.AccountBackend")
            messages.success(
                request,
                _("Your account %(username)s is ready and you are logged in. Now choose what %(org)s sees.")
                % {"username": user.get_username(), "org": invitation.organization.name},
            )
            return redirect("dashboard:invitation", token=token)
    if request.method == "POST" and status == 200:
        status = 409 if account_exists else 400
    return render(
        request,
        "dashboard/invitation_signup.html",
        {
            "invitation": invitation,
            "organization": invitation.organization,
            "job": invitation.job,
            "email": invitation.email,
            "form": form,
            "account_exists": account_exists,
            "login_url": _login_url(token),
        },
        status=status,
    )
