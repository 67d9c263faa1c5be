"""Top-level URLs: dashboard, admin, API v1 and its schema/docs."""

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.health import healthz, readyz

_docs_csp = csp_update(
    {
        "script-src": ["'unsafe-inline'"],
        "style-src": ["'unsafe-inline'", "https://fonts.googleapis.com"],
        "font-src": ["https://fonts.gstatic.com"],
        "worker-src": ["blob:"],
        "img-src": ["https://cdn.redoc.ly"],
    }
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI and Redoc start from an inline script and set inline styles; these two pages show only the
    # public schema, so they alone may (the site's policy: config.settings.base, CONTENT_SECURITY_POLICY).
    path("api/docs/", _docs_csp(SpectacularSwaggerView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", _docs_csp(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("apps.dashboard.urls")),
]

# The site's own error pages in its layout and language (problem+json under /api/).
handler400 = "apps.dashboard.views.errors.bad_request"
handler403 = "apps.dashboard.views.errors.permission_denied"
handler404 = "apps.dashboard.views.errors.page_not_found"
handler500 = "apps.dashboard.views.errors.server_error"
