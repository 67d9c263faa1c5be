"""Top-level URLs: dashboard, admin, API v1 and its schema/docs."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("apps.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("apps.dashboard.urls")),
]

# The site's own error pages in its layout and language (problem+json under /api/).
handler400 = "apps.dashboard.views.errors.bad_request"
handler403 = "apps.dashboard.views.errors.permission_denied"
handler404 = "apps.dashboard.views.errors.page_not_found"
handler500 = "apps.dashboard.views.errors.server_error"
