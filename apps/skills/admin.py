from django.contrib import admin

from .models import Occupation, Phrase, Skill, SkillLabel


class SkillLabelInline(admin.TabularInline):
    model = SkillLabel
    extra = 0
    fields = ["text", "lang", "kind"]
    readonly_fields = fields


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["preferred_label", "skill_type", "reuse_level", "uri"]
    search_fields = ["preferred_label", "uri"]
    list_filter = ["skill_type", "is_group"]
    inlines = [SkillLabelInline]
    filter_horizontal = ["broader"]


@admin.register(Phrase)
class PhraseAdmin(admin.ModelAdmin):
    search_fields = ["text"]
    list_display = ["text", "created_at"]


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    search_fields = ["preferred_label"]
