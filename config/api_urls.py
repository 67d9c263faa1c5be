"""API v1 router: each app contributes its own routes from its ``api/urls.py``. It lives with the
project's configuration because it names every app, while apps.api (the layer below them) names none."""

from django.urls import include, path, re_path

from apps.api.views import EndpointNotFoundView

app_name = "api"
urlpatterns: list = [
    path("", include("apps.jobs.api.urls")),
    path("", include("apps.candidates.api.urls")),
    path("", include("apps.matching.api.urls")),
    path("", include("apps.pathways.api.urls")),
    path("", include("apps.fairness.api.urls")),
    path("", include("apps.skills.api.urls")),
    path("", include("apps.credentials.api.catalog_views")),  # the catalog of offerings
    path("", include("apps.webhooks.api.urls")),
    # Last: only paths ending in "/" so that APPEND_SLASH still redirects "/api/v1/jobs" to "/jobs/".
    re_path(r"^.*/$", EndpointNotFoundView.as_view(), name="not-found"),
]
