"""apps.core.commands: a command's unusable input file is one CommandError line naming it."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from apps.core.commands import input_file_errors
from apps.core.inputs import read_json_file
from apps.core.interchange import parse_job


def test_a_missing_file_is_named_with_the_reason(tmp_path):
    path = tmp_path / "job.json"
    with pytest.raises(CommandError) as err, input_file_errors(path):
        read_json_file(path)
    assert str(err.value) == f"cannot read {path}: No such file or directory"


def test_a_file_breaking_the_input_rules_is_named_with_the_rule(tmp_path):
    path = tmp_path / "job.json"
    path.write_text('{"id": "j", "skills": "SQL"}', encoding="utf-8")
    with pytest.raises(CommandError) as err, input_file_errors(path):
        parse_job(read_json_file(path))
    assert str(err.value).startswith(f"{path}: ") and "skills" in str(err.value)


def test_other_errors_pass_through_unchanged():
    with pytest.raises(KeyError), input_file_errors("x.json"):
        raise KeyError("not an input problem")
