"""Query-string filters of the list endpoints (django-filter), safe for a multi-tenant API.

django-filter's default for a foreign key (``?job=12``) is a choice among *all* rows of the related
table: an id of another organization passes (and matches nothing, 200 []) while an id that does not
exist is refused (400), so a caller could tell which ids exist. Here a foreign key filter is a plain
number compared with the column: every id that is not one of yours, existing or not, gives the
same empty page. Choice filters keep their 400 for values outside the documented choices.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django_filters import rest_framework as filters

MAX_ID = 2**63 - 1  # a bigint primary key


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    """An integer id (1 to 2**63-1), compared with the foreign key column."""

    field_class = IdField


class OrganizationFilterSet(filters.FilterSet):
    """The base of every list endpoint's automatic FilterSet (``filterset_fields``)."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(filters.DjangoFilterBackend):
    filterset_base = OrganizationFilterSet
