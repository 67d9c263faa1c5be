"""Home: sends each user to the pages of their role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.accounts.models import Role

from .access import forbidden


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = request.user.membership
    role = membership.role if membership else None
    if role == Role.RECRUITER:
        return redirect("dashboard:jobs")
    if role == Role.SEEKER:
        return redirect("dashboard:seeker_home")
    return forbidden(request, _("Your account has no recruiter or job seeker role. Integrations use the API."))
