from django.contrib import admin

from .models import Assessment, CandidateNote, MatchRun, MatchScore, PipelineStage, RevealLog, ShortlistDecision


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "organization", "status", "progress", "pool_size", "created_at"]
    list_filter = ["status", "organization"]
    readonly_fields = ["parameters"]


@admin.register(MatchScore)
class MatchScoreAdmin(admin.ModelAdmin):
    list_display = ["run", "candidate", "score", "must_have_met"]
    raw_id_fields = ["run", "candidate"]


@admin.register(ShortlistDecision)
class ShortlistDecisionAdmin(admin.ModelAdmin):
    list_display = ["job", "candidate", "stage_name", "decision", "decided_by", "created_at"]


@admin.register(PipelineStage)
class PipelineStageAdmin(admin.ModelAdmin):
    list_display = ["organization", "position", "name", "decision"]
    list_filter = ["organization"]


@admin.register(CandidateNote)
class CandidateNoteAdmin(admin.ModelAdmin):
    list_display = ["job", "candidate", "author", "created_at"]
    raw_id_fields = ["job", "candidate"]


@admin.register(RevealLog)
class RevealLogAdmin(admin.ModelAdmin):
    list_display = ["job", "candidate", "user", "created_at"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["skill", "method", "score", "assessor", "assessed_on", "candidate", "job"]
    list_filter = ["method"]
    raw_id_fields = ["candidate", "job", "phrase", "recorded_by"]
