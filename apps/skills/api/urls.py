"""Routes for /api/v1/skills/ (search), /api/v1/skills/normalize/, /api/v1/skills/extract/ and
/api/v1/organization-skills/ (an organization's own skills, RSD import)."""

from django.urls import path

from .views import ExtractView, NormalizeView, OwnSkillsImportView, OwnSkillsView, SkillSearchView

urlpatterns = [
    path("skills/", SkillSearchView.as_view(), name="skill-list"),
    path("skills/normalize/", NormalizeView.as_view(), name="skill-normalize"),
    path("skills/extract/", ExtractView.as_view(), name="skill-extract"),
    path("organization-skills/", OwnSkillsView.as_view(), name="org-skill-list"),
    path("organization-skills/import/", OwnSkillsImportView.as_view(), name="org-skill-import"),
]
