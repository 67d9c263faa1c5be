"""Serializer fields for JSON request bodies that take the JSON type as documented.

DRF's fields coerce: a CharField takes ``5`` as ``"5"``, a BooleanField takes ``"yes"`` and ``1``, an
IntegerField takes ``"5"`` and ``5.0``. That suits form posts and query strings, but in a JSON body it
accepts what the OpenAPI schema says is invalid, so generated clients and the schema disagree
(schemathesis' negative_data_rejection). Request bodies use these; query-string serializers keep
DRF's own fields (every query value is a string).
"""

from __future__ import annotations

from rest_framework import serializers


class _StringOnly(serializers.Field):
    """Refuses anything but a JSON string before the DRF field it stands in front of reads it."""

    default_error_messages = {"not_a_string": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class StrictCharField(_StringOnly, serializers.CharField):
    pass


class StrictChoiceField(_StringOnly, serializers.ChoiceField):
    pass


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"not_a_boolean": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("not_a_boolean")
        return data


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"not_an_integer": "Must be a whole number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float) or data != int(data):
            self.fail("not_an_integer")
        return super().to_internal_value(int(data))
