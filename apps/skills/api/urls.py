"""Routes for /api/v1/skills/ (search), /api/v1/skills/normalize/ and /api/v1/skills/extract/."""

from django.urls import path

from .views import ExtractView, NormalizeView, SkillSearchView

urlpatterns = [
    path("skills/", SkillSearchView.as_view(), name="skill-list"),
    path("skills/normalize/", NormalizeView.as_view(), name="skill-normalize"),
    path("skills/extract/", ExtractView.as_view(), name="skill-extract"),
]
