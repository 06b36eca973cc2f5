"""The settings of one conformance run, shared by the vector and property tests."""

from __future__ import annotations

import shlex
import sys
from collections import Counter
from dataclasses import dataclass, field

import torch

import reference
import reference.compat

PROFILE_REFERENCES = {module.PROFILE: module for module in (reference, reference.compat)}  # keyed by PROFILES


@dataclass
class TestState:
    """What the running test has seen: calls the backend accepted, draws it declined (reason -> count)."""

    item: object
    accepted: int = 0
    declined: Counter = field(default_factory=Counter)
    checked: dict = field(default_factory=dict)


@dataclass
class Context:
    """``backend`` is the harness's handle on it (``SandboxedBackend`` or ``InProcessBackend``)."""

    backend: object
    backend_name: str
    profile: str
    devices: list[str]
    dtypes: list[str] | None
    time_limit: float
    isolation: str = "process"
    extra_vectors: list[str] = field(default_factory=list)
    vectors: list = field(default_factory=list)
    expectations: list = field(default_factory=list)
    profile_reason: str = "asked for with --profile"
    current: TestState | None = None

    @property
    def property_profile(self) -> str:
        """Properties compare against the profile the backend implements, else the one asked for."""
        return self.backend.profile or self.profile

    def __repr__(self) -> str:  # Hypothesis prints the test's arguments: keep it to one line
        return f"Context(backend={self.backend_name!r}, profile={self.profile!r}, devices={self.devices!r})"

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # the protocol of Hypothesis's pretty printer
        printer.text(repr(self))

    @property
    def legacy_is_expected(self) -> bool:
        """Under ``spec``, whether a legacy behaviour is an expected failure (xfail with its LB id) rather than a
        failure: yes, unless the backend declares that it implements ``spec``.
        """
        return self.profile == "spec" and self.backend.profile != "spec"

    @property
    def property_reference(self):
        return PROFILE_REFERENCES[self.property_profile]

    def rerun_command(self, *extra: str) -> str:
        """The exact command that reruns part of this run: this interpreter, this backend, profile and vectors."""
        words = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--pyargs", "conformance"]
        words += ["--backend", self.backend_name, "--profile", self.profile]
        for path in self.extra_vectors:
            if path not in extra:
                words += ["--vectors", str(path)]
        return " ".join(shlex.quote(w) for w in [*words, *extra])


def device_unavailable(device: str) -> str | None:
    """Why ``device`` cannot run here (the test is then reported as not run), or ``None``."""
    kind = torch.device(device)
    if kind.type == "cuda":
        if not torch.cuda.is_available():
            return "not run: CUDA is not available on this machine"
        if kind.index is not None and kind.index >= torch.cuda.device_count():
            return f"not run: there is no {device} (found {torch.cuda.device_count()} CUDA devices)"
    return None
