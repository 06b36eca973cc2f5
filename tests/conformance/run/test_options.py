"""Each option is checked before the first backend call; the error names the option and what it expects."""

from __future__ import annotations

import pytest

from conformance.run.options import OptionError, parse_devices, parse_dtypes, parse_isolation, parse_time_limit


def test_devices():
    assert parse_devices("cpu") == ["cpu"]
    assert parse_devices("cpu,cpu") == ["cpu"]
    assert parse_devices("all")[0] == "cpu"
    for bad, message in [("", "--device: expected"), ("meta", "is not one of"), ("cuda:7", "no such device")]:
        with pytest.raises(OptionError, match=message):
            parse_devices(bad)


def test_dtypes():
    assert parse_dtypes(None) is None
    assert parse_dtypes("float32, float16") == ["float32", "float16"]
    with pytest.raises(OptionError, match="--dtype: expected a comma list"):
        parse_dtypes("int8")


def test_time_limit_and_isolation():
    assert parse_time_limit(2) == 2.0
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(OptionError, match="--conformance-time-limit"):
            parse_time_limit(bad)
    assert parse_isolation("none") == "none"
    with pytest.raises(OptionError, match="--conformance-isolation: expected one of process, none"):
        parse_isolation("thread")
