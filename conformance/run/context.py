"""The settings of one conformance run, shared by the vector and property tests."""

from __future__ import annotations

import shlex
import sys
from collections import Counter
from dataclasses import dataclass, field

import pytest
import torch

from ..vocabulary import SPEC


@dataclass
class RunningTest:
    """What the running test has seen: calls the backend accepted, draws it declined (reason -> count),
    the clauses its verdicts credited, and its last failing verdict (the one pytest shows: Hypothesis
    replays the shrunk example last).
    """

    item: object
    named: tuple = ()  # the clauses the test's marker names (what its metamorphic relations verify)
    accepted: int = 0  # calls the backend accepted
    examples: int = 0  # examples (a vector, a drawn input, a fixed case) in which at least one call was accepted
    declined: Counter = field(default_factory=Counter)
    credited: dict = field(default_factory=dict)  # clause -> pass | skip, from verdicts that passed
    failure: dict | None = None  # {"clauses": {clause: status}, "unattributed": [kinds]} of the last failure
    legacy: list = field(default_factory=list)
    _example: object = None  # what identifies the running example (Hypothesis's build context)

    def accept(self, example: object) -> None:
        """Count an accepted call, and the example it belongs to if it is the example's first."""
        self.accepted += 1
        if example is None or example is not self._example:
            self.examples += 1
        self._example = example

    def decline(self, reason: str, example: object) -> None:
        """Count a declined call; an example that had accepted calls no longer counts as run (it is rejected)."""
        self.declined[reason] += 1
        if example is not None and example is self._example:
            self.examples -= 1
            self._example = _REJECTED

    def note(self, statuses: dict[str, str], unattributed: list[str], failed: bool) -> None:
        """Add one verdict's clause statuses: a passing verdict credits, a failing one replaces the last failure."""
        if failed:
            self.failure = {"clauses": dict(statuses), "unattributed": list(unattributed)}
            return
        for clause, status in statuses.items():
            if self.credited.get(clause) != "pass":
                self.credited[clause] = status

    def record(self) -> dict | None:
        """What the report reads: every clause's status in this test, and the failed checks no clause explains."""
        if not self.credited and self.failure is None:
            return None
        clauses = dict(self.credited)
        unattributed: list[str] = []
        if self.failure is not None:
            for clause, status in self.failure["clauses"].items():
                if status == "fail" or clauses.get(clause, "skip") == "skip":
                    clauses[clause] = status
            unattributed = self.failure["unattributed"]
        return {"clauses": clauses, "unattributed": unattributed, "failed": self.failure is not None}


_REJECTED = object()  # the example whose accepted calls no longer count
CONTEXT_KEY = pytest.StashKey["Context"]()


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
    current: RunningTest | None = None

    @classmethod
    def of(cls, config: pytest.Config) -> Context:
        """The run's context (the plugin stores it when the run has a backend); a usage error without one."""
        context = config.stash.get(CONTEXT_KEY, None)
        if context is None:
            raise pytest.UsageError(
                "the conformance suite needs a backend: give --backend NAME (or set SNNLOSS_BACKEND)"
            )
        return context

    def __repr__(self) -> str:  # Hypothesis prints the test's arguments: keep it to one line
        return f"Context(backend={self.backend_name!r}, profile={self.profile!r}, devices={self.devices!r})"

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # the protocol of Hypothesis's pretty printer
        printer.text(repr(self))

    @property
    def legacy_is_expected(self) -> bool:
        """Under ``spec``, whether a legacy behaviour is an expected failure (xfail with its LB id) rather than a
        failure: yes, unless the backend declares that it implements ``spec``.
        """
        return self.profile == SPEC and self.backend.profile != SPEC

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
