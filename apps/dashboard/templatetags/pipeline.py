"""Template filters for the hiring pipeline: a stage's or a decision's name as shown."""

from __future__ import annotations

from django import template

from apps.matching.pipeline_services import stage_label

from .tsumiki import decision_label

register = template.Library()


@register.filter
def stage_name(stage) -> str:
    """A PipelineStage's name in the reader's language (default stages) or as its admin wrote it."""
    return stage_label(stage.name) if stage is not None else ""


@register.filter
def decision_stage(decision) -> str:
    """Where a ShortlistDecision moved the candidate: its stage's current name, the stage's name at the
    time when the stage was removed since, or the decision's own label for decisions older than stages."""
    if decision is None:
        return ""
    if decision.stage_id and decision.stage is not None:
        return stage_label(decision.stage.name)
    if decision.stage_name:
        return stage_label(decision.stage_name)
    return decision_label(decision.decision)
