"""One vocabulary: every copy of profiles, ops, record names, flags, dtypes and built-in backends agrees.

Python code imports these from one place (``conformance.vocabulary``, ``conformance.ops``,
``conformance.tensors``, ``conformance.builtin_backends``); the copies a Python import cannot reach (the JSON
schema, ``pyproject.toml``, the reference modules' own declarations and signatures) are compared here.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

import reference
import reference.compat
from conformance.builtin_backends import BUILT_IN, PROFILE_REFERENCES
from conformance.loading import ENTRY_POINT_GROUP
from conformance.ops import LOSSES, OPS
from conformance.tensors import DTYPES
from conformance.vocabulary import ERROR_STAGES, FLAGS, PROFILES

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "vectors" / "schema.json").read_text())


def test_schema_ops_are_the_ops() -> None:
    assert SCHEMA["properties"]["op"]["enum"] == list(OPS)


def test_schema_flags_are_the_flags() -> None:
    assert SCHEMA["$defs"]["flag"]["enum"] == sorted(FLAGS)


def test_schema_dtypes_are_the_tensor_codec_dtypes() -> None:
    assert set(SCHEMA["$defs"]["tensor"]["properties"]["dtype"]["enum"]) == set(DTYPES)


def test_schema_error_stages() -> None:
    assert SCHEMA["$defs"]["outcome"]["oneOf"][1]["properties"]["when"]["enum"] == list(ERROR_STAGES)


def test_schema_profiles_are_the_profiles() -> None:
    expected = SCHEMA["$defs"]["case"]["properties"]["expected"]
    assert expected["required"] == list(PROFILES) and list(expected["properties"]) == list(PROFILES)


def test_reference_modules_declare_the_profiles() -> None:
    assert (reference.PROFILE, reference.compat.PROFILE) == PROFILES
    assert tuple(PROFILE_REFERENCES) == PROFILES


def test_built_in_backends_are_the_registered_entry_points() -> None:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert set(pyproject["project"]["entry-points"][ENTRY_POINT_GROUP]) == set(BUILT_IN)


@pytest.mark.parametrize("op", LOSSES)
def test_record_and_target_names_are_the_losses_argument_names(op: str) -> None:
    """The spec reference's names (snnTorch's base class calls every rate and membrane record ``spk_out``)."""
    parameters = list(inspect.signature(getattr(reference, op).__call__).parameters)[1:]
    assert tuple(parameters) == OPS[op].inputs
