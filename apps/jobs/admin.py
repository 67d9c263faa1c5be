from django.contrib import admin

from .models import Job, RequiredSkill


class RequiredSkillInline(admin.TabularInline):
    model = RequiredSkill
    extra = 0
    fields = ["name", "weight", "must_have", "min_level", "position"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "created_at"]
    list_filter = ["organization", "status"]
    search_fields = ["title"]
    inlines = [RequiredSkillInline]
