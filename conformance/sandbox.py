"""The backend runs in a worker process the harness owns; a crash, an exit or a hang fails one call.

What the sandbox guarantees (docs/backends.md says it for users):

* **Nothing crosses from the worker as code.** Requests and replies are frames of plain data
  (:mod:`conformance.wire`: JSON plus raw tensor bytes); the judging process never unpickles,
  imports or calls anything the worker sends, and validates every reply before reading it
  (:func:`outcome_from_report`). A reply that does not parse fails the call, named as the
  backend's breach of the protocol.
* **Mutation is observed from outside.** Inputs are handed over in shared memory
  (:mod:`conformance.arena`); after the call the judging process compares those bytes with its
  own copies, so patching torch inside the worker hides nothing. On CUDA the worker copies the
  device inputs back into that memory after the call: there the check relies on the worker.
* **A result that changes later is caught** (SHARED-14): after each call the worker reads the
  previous call's returned tensors again and the judging process compares their fingerprints
  with those of what it judged. This catches kernels that return views of a reused workspace;
  a backend that rewrites the worker's code can hide it.
* **Crashes are cheap.** Workers fork from a server that has already imported torch and the
  harness (``forkserver``), and a successor starts as soon as a worker dies. After
  :data:`CRASH_LIMIT` consecutive crashes of one op, its remaining calls fail at once (like
  :data:`HANG_LIMIT` time-outs for the whole backend).

Plumbing: the standard library's :mod:`multiprocessing` (``forkserver`` start method where the
platform has it, else ``spawn``; CUDA is initialised only in the worker) and one
:class:`multiprocessing.connection.Connection` per worker, used with ``send_bytes``/``recv_bytes``
only. We chose it over ``concurrent.futures.ProcessPoolExecutor`` because a pool cannot kill one
hung call and a crash breaks the whole pool without saying which signal, and over
pytest-timeout/pytest-xdist because those end or restart the *test process*, not just the backend.

:class:`InProcessBackend` runs the same service in the test process (``--conformance-isolation=none``,
for debugging: no time limit, a crash ends the run), through the same arena and reply checks.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import sys
import types
from collections import Counter

import torch

from .arena import ArenaPair, Placement, changed
from .backend import Backend, Domain, Result
from .outcome import BackendRaisedError, CallFailedError, Outcome, Returned
from .wire import WireError, decode, digest, encode
from .worker import BackendService, error_report, serve

HANG_LIMIT = 3  # time-outs after which a backend is declared hung
CRASH_LIMIT = 3  # consecutive crashes of one op after which its calls are refused
FIRST_PROBE = 2  # refused calls or tests before one goes through again (doubling while it crashes)
LONGEST_WAIT = 64
STARTUP_SECONDS = 180.0  # importing torch, CUDA and a backend can take a while on a cold machine
TEXT_LIMIT = 20_000
MAX_REPLY_BYTES = 1 << 30  # a reply's frame; a conformance case's result and gradient are far smaller
PRELOADED = ["torch", "conformance.worker"]  # imported once by the forkserver, inherited by every worker


# ---------------------------------------------------------------------------------------------------------------------
# Reading the worker's replies: plain data, checked field by field


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise WireError(what)


def _text(value, what: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    _require(isinstance(value, str), f"{what} is not a string")
    return value[:TEXT_LIMIT]


def _error(report) -> BackendRaisedError:
    _require(isinstance(report, dict), "an error report is not a dict")
    names = report.get("class_names")
    _require(isinstance(names, list) and all(isinstance(n, str) for n in names), "class_names is not a list of strings")
    return BackendRaisedError(
        _text(report.get("type_name"), "type_name"),
        tuple(names),
        _text(report.get("message"), "message"),
        _text(report.get("trace"), "trace"),
    )


def _returned(report) -> Returned:
    _require(isinstance(report, dict), "a returned-slot report is not a dict")
    flags = [report.get("is_tensor"), report.get("exact_tensor")]
    _require(all(isinstance(f, bool) for f in flags), "is_tensor and exact_tensor are not booleans")
    return Returned(
        _text(report.get("type_name"), "type_name"),
        *flags,
        device=_text(report.get("device"), "device", optional=True),
        problem=_text(report.get("problem"), "problem", optional=True),
    )


def _tensor_or_none(value, what: str) -> torch.Tensor | None:
    _require(value is None or isinstance(value, torch.Tensor), f"{what} is neither a tensor nor null")
    return value


def outcome_from_report(report) -> tuple[Outcome, dict]:
    """The call's :class:`Outcome` and the previous result's fingerprints, from a reply; :class:`WireError` if
    the reply is not a run report.
    """
    _require(isinstance(report, dict), "the run report is not a dict")
    previous = report.get("previous", {})
    _require(
        isinstance(previous, dict)
        and set(previous) <= {"value", "grad"}
        and all(v is None or isinstance(v, str) for v in previous.values()),
        "previous is not {slot: fingerprint}",
    )
    kernel_ran = report.get("kernel_ran")
    _require(kernel_ran is None or isinstance(kernel_ran, bool), "kernel_ran is not a boolean")
    outcome = Outcome(kernel_ran=kernel_ran)
    if "raised" in report:
        outcome.error = _error(report["raised"])
    elif "ended" in report:
        ended = _error(report["ended"])
        outcome.error = CallFailedError(
            f"the backend raised {ended.type_name}({ended.message}), which would end the process", cause="ended"
        )
    elif "not_a_result" in report:
        name = _text(report["not_a_result"], "not_a_result")
        outcome.error = CallFailedError(f"run() returned a {name}, not a conformance.backend.Result", cause="result")
    else:
        returned = report.get("returned")
        _require(isinstance(returned, dict) and "value" in returned, "returned is not {value, grad}")
        _require(set(returned) <= {"value", "grad"}, "returned has slots other than value and grad")
        value = _tensor_or_none(report.get("value"), "value")
        grad = _tensor_or_none(report.get("grad"), "grad")
        outcome.result = Result(value, grad)
        outcome.returned = {slot: _returned(info) for slot, info in returned.items()}
    return outcome, previous


def _declarations(info) -> dict:
    _require(isinstance(info, dict), "the declarations are not a dict")
    for key in ("name", "version", "describe"):
        _text(info.get(key), key)
    _text(info.get("profile"), "profile", optional=True)
    _text(info.get("expectations"), "expectations", optional=True)
    for key in ("devices", "dtypes", "ops", "differentiable_ops"):
        value = info.get(key)
        _require(isinstance(value, list) and all(isinstance(v, str) for v in value), f"{key} is not a list of strings")
    _require(info.get("domain") is None or isinstance(info.get("domain"), dict), "domain is not a dict")
    return info


# ---------------------------------------------------------------------------------------------------------------------
# The harness's side


class _Declared:
    """A backend's declarations as the harness keeps them (copied once, so the backend cannot change them)."""

    def _adopt(self, info: dict) -> None:
        self.name: str = info["name"]
        self.version: str = info["version"]
        self._describe: str = info["describe"]
        self.profile: str | None = info["profile"]
        self.devices = tuple(info["devices"])
        self.dtypes = tuple(info["dtypes"])
        self.ops = frozenset(info["ops"])
        self.differentiable_ops = frozenset(info["differentiable_ops"])
        self.expectations = info["expectations"]
        try:
            self.domain = None if info.get("domain") is None else Domain.from_plain(info["domain"])
        except (TypeError, ValueError) as error:
            raise SandboxStartError(f"backend {self.name!r} declares an invalid domain: {error}") from None

    def describe(self) -> str:
        return self._describe


class _Caller(_Declared):
    """What both ways of running a backend share: the arenas, the judged fingerprints, the crash breaker."""

    declared_hung = False

    def _setup(self, shared: bool) -> None:
        self.arenas = ArenaPair(shared)
        self._judged: dict[str, str | None] = {}  # slot -> fingerprint of the last result the harness received
        self._judged_call = ""
        self.breaker = CrashBreaker()

    # -- the crash breaker ------------------------------------------------------------------------------------------

    def crashing(self, op: str | None) -> str | None:
        """Why this call (or test) of ``op`` is not made, or ``None``: see :class:`CrashBreaker`."""
        return self.breaker.refuse(op)

    def _note_call(self, op: str, failure: CallFailedError | None) -> None:
        self.breaker.note(op, failure)

    # -- calls ------------------------------------------------------------------------------------------------------

    def unsupported(self, op: str, params: dict, device: str, dtype: str | None, inputs: dict | None = None):
        infos = None if inputs is None else {n: [list(i.shape), i.dtype] for n, i in inputs.items()}
        params = {k: v.detach().cpu() if isinstance(v, torch.Tensor) else v for k, v in params.items()}
        request = {"kind": "unsupported", "op": op, "params": params, "device": device, "dtype": dtype, "inputs": infos}
        try:
            answer = self._exchange(request)
        except BackendRaisedError as error:
            raise DeclarationError(_declaration_message(error)) from None
        except CallFailedError as failure:
            self._note_call(op, failure)
            raise
        if not (answer is None or isinstance(answer, str)):
            raise CallFailedError("unsupported() answered neither a reason nor None", cause="protocol")
        return answer

    def call(self, op: str, params: dict, inputs: dict, cotangent, device: str) -> Outcome:
        """One call; mutation and later changes of earlier results are judged here, from outside the worker."""
        stopped = self.crashing(op) or (self.hung_message() if self.declared_hung else None)
        if stopped:
            return Outcome(error=CallFailedError(stopped, cause="breaker"))
        tensors = {f"param:{k}": v for k, v in params.items() if isinstance(v, torch.Tensor)}
        tensors.update({f"input:{k}": v for k, v in inputs.items()})
        arena = self.arenas.next([t.detach().cpu() for t in tensors.values()])
        placed = {}
        for key, tensor in tensors.items():
            own = tensor.detach().cpu()
            placed[key] = (arena.place(own), own)
        request = {
            "kind": "run",
            "op": op,
            "params": {k: v for k, v in params.items() if not isinstance(v, torch.Tensor)},
            "placed": {key: placement.as_message() for key, (placement, _) in placed.items()},
            "input_order": list(inputs),
            "cotangent": None if cotangent is None else cotangent.detach().cpu(),
            "device": device,
        }
        try:
            outcome, previous = outcome_from_report(self._exchange(request))
        except WireError as error:
            failure = self._protocol_breach(f"the worker's reply is not a valid run report: {error}")
            self._note_call(op, failure)
            self._judged, self._judged_call = {}, ""
            return Outcome(error=failure)
        except CallFailedError as failure:
            self._note_call(op, failure)
            self._judged, self._judged_call = {}, ""
            return Outcome(error=failure)
        self._note_call(op, outcome.error if isinstance(outcome.error, CallFailedError) else None)
        outcome.mutated = tuple(_shown_name(key) for key in changed(arena, placed))
        outcome.overwritten = self._overwritten(previous)
        outcome.retention_checked = bool(self._judged)
        self._judged = {}
        if outcome.result is not None:
            for slot in ("value", "grad"):
                tensor = getattr(outcome.result, slot)
                if isinstance(tensor, torch.Tensor):
                    self._judged[slot] = digest(tensor)
        self._judged_call = op
        return outcome

    def _overwritten(self, previous: dict) -> str | None:
        changed_slots = [s for s, d in self._judged.items() if previous.get(s, d) != d]
        if not changed_slots:
            return None
        slots = " and ".join("gradient" if s == "grad" else s for s in changed_slots)
        return (
            f"the {slots} returned by the previous call ({self._judged_call}) changed when the backend was called "
            f"again: a returned tensor may not share memory the backend reuses (SHARED-14)"
        )

    def _protocol_breach(self, message: str) -> CallFailedError:
        return CallFailedError(message, cause="protocol")

    def hung_message(self) -> str:
        return ""

    def close(self) -> None:
        self.arenas.close()


class CrashBreaker:
    """Per op: after :data:`CRASH_LIMIT` consecutive crashes, the op's calls and tests are refused at once.

    It is half-open: after :data:`FIRST_PROBE` refusals one call goes through as a probe. If it
    crashes too, the next probe waits twice as long (up to :data:`LONGEST_WAIT`); if it answers,
    the breaker closes. A backend that crashes on every call costs a few crashes per op; one that
    crashes on a few inputs in a row (three empty batches) loses only the tests refused meanwhile.
    """

    def __init__(self) -> None:
        self.streak: Counter = Counter()  # consecutive crashes per op
        self.refused: Counter = Counter()  # refusals since the last probe
        self.wait: dict[str, int] = {}  # refusals before the next probe
        self.last: dict[str, str] = {}

    def refuse(self, op: str | None) -> str | None:
        if op is None or self.streak[op] < CRASH_LIMIT:
            return None
        wait = self.wait.get(op, FIRST_PROBE)
        if self.refused[op] >= wait:
            return None  # a probe
        self.refused[op] += 1
        return (
            f"{op} declared crashing after {self.streak[op]} consecutive crashes (last: {self.last[op]}); "
            f"not run (the op is tried again after {wait} refused calls or tests)"
        )

    def note(self, op: str, failure: CallFailedError | None) -> None:
        if failure is not None and failure.cause in ("crash", "ended", "protocol"):
            self.streak[op] += 1
            self.last[op] = str(failure)
            if self.streak[op] > CRASH_LIMIT:  # a probe crashed
                self.wait[op] = min(2 * self.wait.get(op, FIRST_PROBE), LONGEST_WAIT)
            self.refused[op] = 0
        elif failure is None or failure.cause == "result":
            self.streak[op] = self.refused[op] = 0
            self.wait.pop(op, None)


def _shown_name(key: str) -> str:
    where, name = key.split(":", 1)
    return f"param {name}" if where == "param" else name


class InProcessBackend(_Caller):
    """The backend in the test process: for debugging (pdb, prints); no time limit, no crash protection."""

    isolation = "none"

    def __init__(self, backend: Backend) -> None:
        self.service = BackendService(backend)
        self._setup(shared=False)
        self._adopt(_declarations(decode(encode(self.service.info()))))

    def _exchange(self, request: dict):
        if request["kind"] == "unsupported":
            request = decode(encode(request))  # the backend gets copies, as from a worker
            try:
                return self.service.unsupported(
                    request["op"], request["params"], request["device"], request["dtype"], request["inputs"]
                )
            except Exception as error:
                raise _error(error_report(error)) from None
        arena = self.arenas.arenas[self.arenas.turn]
        params, inputs = dict(request["params"]), {}
        for key, tensor in ((k, arena.view(Placement.from_message(m))) for k, m in request["placed"].items()):
            where, name = key.split(":", 1)
            (params if where == "param" else inputs)[name] = tensor
        inputs = {name: inputs[name] for name in request["input_order"]}
        report = self.service.run(request["op"], params, inputs, request["cotangent"], request["device"])
        return decode(encode(report))  # the same plain data, and the same checks, as from a worker


def describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return "stopped answering"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


@contextlib.contextmanager
def _main_module_hidden():
    """Start a process without re-running the judging process's ``__main__`` in it.

    ``multiprocessing`` re-imports the parent's main script (or ``-m`` module) in every new
    worker: pytest's, a benchmark's, or none at all when the parent reads stdin (which then fails).
    The worker needs none of it; hiding it makes a restart cost a fork and the backend's import.
    """
    real = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = real


def _start_method() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOADED)
        return context
    return multiprocessing.get_context("spawn")


class SandboxedBackend(_Caller):
    """The backend in a worker process, restarted after a crash, an exit or a time-out."""

    isolation = "process"

    def __init__(self, backend_name: str, profile: str | None, time_limit: float) -> None:
        if not (math.isfinite(time_limit) and time_limit > 0):
            raise ValueError(f"time_limit must be a positive finite number of seconds, got {time_limit!r}")
        self.backend_name, self.profile_asked, self.time_limit = backend_name, profile, time_limit
        self.context = _start_method()
        self.process = None
        self.connection = None
        self.hangs = 0
        self.last_hang = ""
        self.restarts = 0
        self._setup(shared=True)
        self._start()
        info = self._handshake()
        if isinstance(info, str):
            self.arenas.close()
            raise SandboxStartError(info)
        try:
            self._adopt(info)
        except SandboxStartError:
            self.close()
            raise

    # -- lifecycle --------------------------------------------------------------------------------------------------

    def _start(self) -> None:
        parent, child = self.context.Pipe(duplex=True)
        self.process = self.context.Process(
            target=serve,
            args=(child, self.backend_name, self.profile_asked, dict(os.environ)),
            name="snnloss-backend",
            daemon=True,
        )
        with _main_module_hidden():
            self.process.start()
        child.close()
        self.connection = parent
        self._ready = False

    def _handshake(self) -> dict | str:
        """The worker's declarations, or why it could not load the backend."""
        if not self.connection.poll(STARTUP_SECONDS):
            self._kill()
            return f"backend {self.backend_name!r} did not load within {STARTUP_SECONDS:g} s"
        try:
            reply = decode(self.connection.recv_bytes())
            _require(isinstance(reply, dict) and reply.get("kind") in ("ready", "load-error"), "not a handshake")
            if reply["kind"] == "load-error":
                self._reap()
                return _text(reply.get("message"), "message")
            info = _declarations(reply.get("info"))
        except (EOFError, OSError):
            status = self._reap()
            return f"the worker loading backend {self.backend_name!r} {status} before it was ready"
        except WireError as error:
            self._kill()
            self._reap()
            return f"backend {self.backend_name!r}: the worker's first message is not a valid handshake: {error}"
        self._ready = True
        return info

    def _reap(self) -> str:
        """Wait for a dead (or dying) worker and say how it ended."""
        self.process.join(5)
        if self.process.exitcode is None:
            self._kill()
        status = describe_exit(self.process.exitcode)
        self.connection.close()
        self.process = None
        return status

    def _kill(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(10)

    def _lost(self) -> str:
        """Reap a worker that died or was killed, and start its successor at once (it loads while we report)."""
        status = self._reap()
        if self.hangs < HANG_LIMIT:
            self.restarts += 1
            self._start()
        return status

    def _ensure_worker(self) -> str | None:
        """Start a fresh worker if the last one died; the reason it cannot, or ``None``."""
        if self.process is not None and self._ready:
            return None
        if self.process is None:
            self.restarts += 1
            self._start()
        info = self._handshake()
        return info if isinstance(info, str) else None

    def close(self) -> None:
        super().close()
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            self.connection.send_bytes(encode({"kind": "stop"}))
        self.process.join(5)
        self._kill()
        self.connection.close()
        self.process = None

    # -- requests ---------------------------------------------------------------------------------------------------

    def _exchange(self, request: dict):
        """The worker's answer, or :class:`CallFailedError` (declared hung, crash, exit, time-out, protocol)."""
        if self.declared_hung:
            raise CallFailedError(self.hung_message(), cause="breaker")
        problem = self._ensure_worker()
        if problem:
            raise CallFailedError(f"the backend's worker could not be restarted: {problem}", cause="crash")
        try:
            self.connection.send_bytes(encode(request))
        except OSError:
            raise CallFailedError(f"the backend's worker {self._lost()} before the call", cause="crash") from None
        if not self.connection.poll(self.time_limit):
            self.hangs += 1
            self._kill()
            self._lost()
            self.last_hang = f"no answer in {self.time_limit:g} s"
            raise CallFailedError(
                f"{self.last_hang} (time-out {self.hangs} of {HANG_LIMIT}; worker killed)", cause="hang"
            )
        try:
            frame = self.connection.recv_bytes(MAX_REPLY_BYTES)
        except OSError:
            if self.process is not None and self.process.is_alive():  # alive, so not a crash: the frame was too long
                raise self._protocol_breach(f"the worker's reply is larger than {MAX_REPLY_BYTES} bytes") from None
            raise CallFailedError(f"the backend's worker {self._lost()} during the call", cause="crash") from None
        except EOFError:
            raise CallFailedError(f"the backend's worker {self._lost()} during the call", cause="crash") from None
        try:
            reply = decode(frame)
            _require(isinstance(reply, dict) and reply.get("kind") in ("ok", "raised", "ended"), "unknown reply kind")
            if reply["kind"] != "ok":
                error = _error(reply.get("error"))
        except WireError as error:
            raise self._protocol_breach(f"the worker's reply could not be read: {error}") from None
        if reply["kind"] == "raised":
            raise error
        if reply["kind"] == "ended":
            raise CallFailedError(
                f"the backend raised {error.type_name}({error.message}), which would end the process", cause="ended"
            )
        return reply.get("answer")

    def _protocol_breach(self, message: str) -> CallFailedError:
        """A reply that breaks the protocol: the worker's state is unknown, so it is replaced."""
        self._kill()
        self._lost()
        return CallFailedError(
            f"{message} (the backend broke the worker's protocol; worker replaced)", cause="protocol"
        )

    @property
    def declared_hung(self) -> bool:
        return self.hangs >= HANG_LIMIT

    def hung_message(self) -> str:
        return f"backend declared hung after {HANG_LIMIT} time-outs (each: {self.last_hang}); this call was not made"


class DeclarationError(AssertionError):
    """The backend's ``unsupported()`` raised: the test fails with what it raised."""


def _declaration_message(error: BackendRaisedError) -> str:
    return f"the backend's unsupported() raised {error.type_name}: {error.message}\n{error.trace}"


class SandboxStartError(Exception):
    """The worker could not load the backend; the message says why."""
