"""What one call of a backend produced, as the harness sees it: plain data, whatever the backend returned.

The sandbox (:mod:`conformance.sandbox`) fills these in; the judge (:mod:`conformance.judging.judge`)
reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .backend import Result


class BackendRaisedError(Exception):
    """The backend raised an exception; carried as plain data (the exception object never leaves the worker)."""

    def __init__(self, type_name: str, class_names: tuple[str, ...], message: str, trace: str) -> None:
        super().__init__(message)
        self.type_name, self.class_names, self.message, self.trace = type_name, class_names, message, trace

    def is_a(self, class_name: str) -> bool:
        return class_name in self.class_names


class CallFailedError(Exception):
    """The call did not complete: the worker crashed, exited, hung, or the backend was declared hung.

    Never an acceptable outcome, not even where the spec expects an error. ``cause`` is one of
    :data:`CAUSES`: how it failed, for the crash breaker and for property tests, which stop
    exploring at the first failed call instead of shrinking through restarts.
    """

    def __init__(self, message: str, cause: str = "crash") -> None:
        super().__init__(message)
        if cause not in CAUSES:
            raise ValueError(f"cause must be one of {CAUSES}, got {cause!r}")
        self.cause = cause


CAUSES = (
    "crash",  # the worker died (signal or exit status)
    "ended",  # the backend raised SystemExit, KeyboardInterrupt or another BaseException
    "hang",  # no answer within the time limit
    "protocol",  # the worker's reply was not valid plain data of the protocol
    "breaker",  # not made: the backend was declared hung, or the op declared crashing
    "result",  # run() returned something other than a Result
)


@dataclass
class Returned:
    """What the backend returned in one slot (value or gradient), before any conversion."""

    type_name: str
    is_tensor: bool
    exact_tensor: bool
    device: str | None = None
    problem: str | None = None  # why it could not be read as a tensor

    def describe(self) -> str:
        return f"a {self.type_name}" + (f" on {self.device}" if self.device else "")


@dataclass
class Outcome:
    """A call's result (plain CPU tensors) or error, and what the harness noticed about it."""

    result: Result | None = None
    error: BaseException | None = None
    mutated: tuple[str, ...] = ()
    kernel_ran: bool | None = None
    returned: dict[str, Returned] = field(default_factory=dict)
    overwritten: str | None = None  # what of the previous call's result changed during this call (SHARED-14)
    retention_checked: bool = False  # whether a previous result was read again during this call

    @property
    def trace(self) -> str:
        return getattr(self.error, "trace", "")


def safe_str(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # a hostile __str__
        return f"<{type(error).__name__} whose message cannot be shown>"
