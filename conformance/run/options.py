"""The suite's own command-line options, each checked before the first backend call.

Every check raises :class:`OptionError` with the option's name and what was expected;
the plugin turns it into a pytest usage error (exit code 4).
"""

from __future__ import annotations

import math
import re

import torch

from ..vocabulary import RECORD_DTYPE_NAMES

ISOLATIONS = ("process", "none")
_CUDA_INDEX = re.compile(r"^cuda:(\d+)$")


class OptionError(ValueError):
    """A bad option value; the message names the option."""


def cuda_count() -> int:
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def parse_devices(option: str | None) -> list[str]:
    """``cpu``, ``cuda``, ``cuda:N``, ``all``, or a comma list of these, as a list without repeats.

    ``all`` is the CPU and every CUDA device; without CUDA it keeps one ``cuda`` entry, whose
    tests are reported as not run. A CUDA device named explicitly must exist.
    """
    words = [w.strip() for w in (option or "").split(",")]
    if not any(words):
        raise OptionError(f"--device: expected cpu, cuda, cuda:N or all (or a comma list), got {option!r}")
    devices: list[str] = []
    count = cuda_count()
    for word in words:
        if word == "all":
            devices += ["cpu", *([f"cuda:{i}" for i in range(count)] if count > 1 else ["cuda"])]
        elif word == "cpu":
            devices.append("cpu")
        elif word == "cuda" or _CUDA_INDEX.match(word):
            match = _CUDA_INDEX.match(word)
            index = int(match.group(1)) if match else 0
            if index >= count:
                found = f"this machine has {count} CUDA device(s)" if count else "CUDA is not available here"
                raise OptionError(f"--device {word}: no such device ({found}); use --device cpu or all")
            devices.append(word)
        else:
            raise OptionError(f"--device: {word!r} is not one of cpu, cuda, cuda:N, all")
    return list(dict.fromkeys(devices))


def parse_dtypes(option: str | None) -> list[str] | None:
    """A comma list of the four float dtype names, or ``None`` for all."""
    if option is None:
        return None
    words = [w.strip() for w in option.split(",")]
    bad = [w for w in words if w not in RECORD_DTYPE_NAMES]
    if bad or not words:
        raise OptionError(f"--dtype: expected a comma list of {', '.join(RECORD_DTYPE_NAMES)}, got {option!r}")
    return list(dict.fromkeys(words))


def parse_time_limit(value: float) -> float:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        raise OptionError(f"--conformance-time-limit: expected a positive, finite number of seconds, got {value!r}")
    return float(value)


def parse_isolation(value: str) -> str:
    if value not in ISOLATIONS:
        raise OptionError(f"--conformance-isolation: expected one of {', '.join(ISOLATIONS)}, got {value!r}")
    return value
