"""A job seeker's "My data" page: what is held about them in every organization, a JSON download of
all of it, and erasure everywhere after a confirmation (apps.wallet.rights holds the logic)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.wallet.rights import held_summary, wallet_erase, wallet_export

from .access import seeker_required


@seeker_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/my_data.html", held_summary(user=request.user))


@seeker_required
@require_POST
def my_data_export(request: HttpRequest) -> HttpResponse:
    """The download (a POST, so that no prefetching browser or link preview records an export)."""
    data = wallet_export(user=request.user)
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="tsumiki-my-data-{stamp}.json"'
    return response


@seeker_required
@require_http_methods(["GET", "POST"])
def my_data_erase(request: HttpRequest) -> HttpResponse:
    """The confirmation step, then the erasure."""
    summary = held_summary(user=request.user)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm that you want everything erased.")
        else:
            receipt = wallet_erase(user=request.user)
            n = len(receipt["organizations"])
            messages.success(
                request,
                ngettext(
                    "Your data has been erased from %(n)s organization. Your login account remains.",
                    "Your data has been erased from %(n)s organizations. Your login account remains.",
                    n,
                )
                % {"n": n},
            )
            return redirect("dashboard:my_data")
    return render(request, "dashboard/my_data_erase.html", {**summary, "error": error}, status=400 if error else 200)
