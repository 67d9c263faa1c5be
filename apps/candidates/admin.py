from django.contrib import admin

from .models import Candidate, CandidateSkill


class CandidateSkillInline(admin.TabularInline):
    model = CandidateSkill
    extra = 0
    fields = ["text", "source", "context"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "organization", "consent_given"]
    list_filter = ["organization"]
    search_fields = ["external_id", "name"]
    inlines = [CandidateSkillInline]
