from django.contrib import admin

from .models import Candidate, CandidateSkill, Experience, ExperienceSkill


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


class ExperienceSkillInline(admin.TabularInline):
    model = ExperienceSkill
    extra = 0
    fields = ["text"]
    readonly_fields = ["text"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "start", "end", "source", "candidate"]
    search_fields = ["title", "organization"]
    inlines = [ExperienceSkillInline]
    raw_id_fields = ["candidate"]
