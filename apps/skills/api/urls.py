"""Routes for /api/v1/skills/ (search) and /api/v1/skills/normalize/."""

from django.urls import path

from .views import NormalizeView, SkillSearchView

urlpatterns = [
    path("skills/", SkillSearchView.as_view(), name="skill-list"),
    path("skills/normalize/", NormalizeView.as_view(), name="skill-normalize"),
]
