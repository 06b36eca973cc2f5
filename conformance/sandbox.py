"""The backend runs in a worker process the harness owns; a crash, an exit or a hang fails one call.

Plumbing: the standard library's :mod:`multiprocessing` with the ``spawn`` start method
(a fresh interpreter, so CUDA initialises in the worker) and one
:class:`multiprocessing.connection.Connection` per worker. We chose it over
``concurrent.futures.ProcessPoolExecutor`` because a pool cannot kill one hung
call (a time-out leaves the worker running, and a crash breaks the whole pool
without saying which signal), and over pytest-timeout/pytest-xdist because those
end or restart the *test process*, not just the backend. ``Connection.poll`` gives
the time limit, ``Process.exitcode`` gives the signal or exit status, and
``Process.kill`` ends a hang even in C code that holds the GIL.

Every message is a tuple pickled with the standard :mod:`pickle`; CPU tensors travel
as their raw storage bytes with shape, strides and offset (:func:`dumps`), so strides
survive, torch's shared-memory reductions and CUDA IPC handles are never involved, and
a transfer is a memory copy. The worker moves tensors to the device and back.

:class:`BackendService` does the backend's side of a call (device placement,
mutation check on the tensors it handed over, kernel counter, a plain-data
report of what came back). :class:`SandboxedBackend` runs it in the worker;
:class:`InProcessBackend` runs it in the test process (``--conformance-isolation=none``,
for debugging: no time limit, a crash ends the run).
"""

from __future__ import annotations

import contextlib
import inspect
import io
import math
import multiprocessing
import pickle
import signal

import torch

from .backend import Backend, Result
from .outcome import BackendRaisedError, CallFailedError, Outcome, Returned, safe_str
from .vocabulary import SPEC

HANG_LIMIT = 3  # time-outs after which a backend is declared hung
STARTUP_SECONDS = 180.0  # importing torch, CUDA and a backend can take a while on a cold machine


# ---------------------------------------------------------------------------------------------------------------------
# Messages


def _rebuild_tensor(dtype: torch.dtype, shape, stride, offset: int, raw: bytes) -> torch.Tensor:
    storage = torch.frombuffer(bytearray(raw), dtype=torch.uint8) if raw else torch.empty(0, dtype=torch.uint8)
    return torch.empty(0, dtype=dtype).set_(storage.untyped_storage(), offset, shape, stride)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if type(obj) is torch.Tensor and obj.device.type == "cpu" and not obj.is_sparse and not obj.is_quantized:
            tensor = obj.detach()
            whole = torch.empty(0, dtype=torch.uint8).set_(tensor.untyped_storage())
            raw = whole.numpy().tobytes()
            return _rebuild_tensor, (tensor.dtype, tuple(tensor.shape), tensor.stride(), tensor.storage_offset(), raw)
        return NotImplemented


def dumps(message) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(message)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------------
# The backend's side: run in the worker (or in-process)


def _qualified_name(kind: type) -> str:
    module = getattr(kind, "__module__", "") or ""
    return f"{module}.{kind.__qualname__}" if module not in ("builtins", "") else kind.__qualname__


def _plain_tensor(value) -> tuple[torch.Tensor | None, Returned]:
    """``value`` as a plain CPU ``torch.Tensor`` (whatever subclass it was), and what it really was."""
    if not isinstance(value, torch.Tensor):
        return None, Returned(_qualified_name(type(value)), False, False)
    info = Returned(_qualified_name(type(value)), True, type(value) is torch.Tensor)
    try:
        with torch._C.DisableTorchFunctionSubclass():
            info.device = str(torch.Tensor.device.__get__(value))
            plain = torch.Tensor.detach(value).to("cpu", copy=True)
        if type(plain) is not torch.Tensor:
            plain = plain.as_subclass(torch.Tensor)
    except Exception as error:  # a subclass that cannot even be copied
        info.problem = f"cannot be read: {type(error).__name__}: {safe_str(error)}"
        return None, info
    return plain, info


def _same_tensor(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Equal in shape, dtype and every element; NaN equals NaN."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.is_floating_point() or a.is_complex():
        both_nan = torch.isnan(a) & torch.isnan(b)
        return bool(((a == b) | both_nan).all())
    return bool(torch.equal(a, b))


def _accepts_inputs(method) -> bool:
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    return "inputs" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


class BackendService:
    """Runs one backend's calls and reports them as plain, picklable data."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def info(self) -> dict:
        b = self.backend
        return {
            "name": str(b.name),
            "version": str(b.version),
            "describe": str(b.describe()),
            "profile": b.profile,
            "devices": tuple(b.devices),
            "dtypes": tuple(b.dtypes),
            "ops": frozenset(b.ops),
            "differentiable_ops": frozenset(b.differentiable_ops),
            "expectations": None if b.expectations is None else str(b.expectations),
        }

    def unsupported(self, op: str, params: dict, device: str, dtype: str | None, inputs: dict | None) -> str | None:
        """Ask the backend, with the case's inputs (name -> ``InputInfo``) if its override takes them."""
        method = self.backend.unsupported
        if inputs is not None and _accepts_inputs(method):
            reason = method(op, params, device, dtype, inputs=inputs)
        else:
            reason = method(op, params, device, dtype)
        return None if reason is None else str(reason)

    def run(self, op: str, params: dict, inputs: dict, cotangent, device: str) -> dict:
        """One call on ``device``: the result as CPU tensors, or the exception, plus mutation and counter."""
        params = {k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in params.items()}
        handed = {name: t.to(device) for name, t in inputs.items()}
        watched = {**handed, **{f"param {k}": v for k, v in params.items() if isinstance(v, torch.Tensor)}}
        snapshots = {name: t.detach().clone() for name, t in watched.items()}
        cotangent = None if cotangent is None else cotangent.to(device)
        report: dict = {}
        try:
            before = self.backend.kernel_calls()
            result = self.backend.run(op, params, dict(handed), cotangent)
            after = self.backend.kernel_calls()
        except Exception as error:
            report["raised"] = BackendRaisedError.from_exception(error)
        else:
            # A call with an empty record has no work for a kernel: skipping the launch is correct, not a fallback.
            has_work = all(t.numel() for t in handed.values() if t.is_floating_point())
            if before is not None and after is not None and has_work:
                report["kernel_ran"] = after > before
            report.update(self._read_result(result))
        report["mutated"] = tuple(n for n, t in watched.items() if not _same_tensor(t.detach(), snapshots[n]))
        return report

    @staticmethod
    def _read_result(result) -> dict:
        if not isinstance(result, Result):
            return {"not_a_result": _qualified_name(type(result))}
        value, value_info = _plain_tensor(result.value)
        returned = {"value": value_info}
        grad = None
        if result.grad is not None:
            grad, returned["grad"] = _plain_tensor(result.grad)
        return {"value": value, "grad": grad, "returned": returned}


def outcome_from_report(report: dict) -> Outcome:
    outcome = Outcome(mutated=tuple(report.get("mutated", ())), kernel_ran=report.get("kernel_ran"))
    if "raised" in report:
        outcome.error = report["raised"]
    elif "not_a_result" in report:
        outcome.error = CallFailedError(f"run() returned a {report['not_a_result']}, not a conformance.backend.Result")
    else:
        outcome.result = Result(report["value"], report["grad"])
        outcome.returned = report["returned"]
    return outcome


# ---------------------------------------------------------------------------------------------------------------------
# The harness's side


class _Declared:
    """A backend's declarations as the harness keeps them (copied once, so the backend cannot change them)."""

    def _adopt(self, info: dict) -> None:
        self.name: str = info["name"]
        self.version: str = info["version"]
        self._describe: str = info["describe"]
        self.profile: str | None = info["profile"]
        self.devices = info["devices"]
        self.dtypes = info["dtypes"]
        self.ops = info["ops"]
        self.differentiable_ops = info["differentiable_ops"]
        self.expectations = info["expectations"]

    def describe(self) -> str:
        return self._describe


class InProcessBackend(_Declared):
    """The backend in the test process: for debugging (pdb, prints); no time limit, no crash protection."""

    isolation = "none"
    declared_hung = False

    def __init__(self, backend: Backend) -> None:
        self.service = BackendService(backend)
        self._adopt(self.service.info())

    def unsupported(self, op: str, params: dict, device: str, dtype: str | None, inputs: dict | None = None):
        try:
            return self.service.unsupported(op, params, device, dtype, inputs)
        except Exception as error:
            raise DeclarationError(_declaration_message(BackendRaisedError.from_exception(error))) from None

    def call(self, op: str, params: dict, inputs: dict, cotangent, device: str) -> Outcome:
        return outcome_from_report(self.service.run(op, params, inputs, cotangent, device))

    def close(self) -> None:
        pass


def _cpu(value):
    return value.detach().cpu() if isinstance(value, torch.Tensor) else value


def _worker_main(connection, backend_name: str, profile: str) -> None:
    """The worker: load the backend, say what it declares, then answer requests until told to stop."""
    from .loading import BackendError, load_backend

    try:
        backend = load_backend(backend_name)
        if hasattr(backend, "active_profile"):
            backend.active_profile = profile or backend.profile or SPEC
        service = BackendService(backend)
        info = service.info()
    except BackendError as error:
        connection.send_bytes(dumps(("load-error", str(error))))
        return
    except Exception as error:
        message = f"backend {backend_name!r} failed while declaring itself: {type(error).__name__}: {error}"
        connection.send_bytes(dumps(("load-error", message)))
        return
    connection.send_bytes(dumps(("ready", info)))
    while True:
        try:
            request = pickle.loads(connection.recv_bytes())
        except EOFError:  # the harness went away
            return
        kind, arguments = request[0], request[1:]
        if kind == "stop":
            return
        try:
            answer = ("ok", getattr(service, kind)(*arguments))
        except Exception as error:  # unsupported() itself raised
            answer = ("raised", BackendRaisedError.from_exception(error))
        connection.send_bytes(dumps(answer))


def describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return "stopped answering"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


class SandboxedBackend(_Declared):
    """The backend in a worker process, restarted after a crash, an exit or a time-out."""

    isolation = "process"

    def __init__(self, backend_name: str, profile: str | None, time_limit: float) -> None:
        if not (math.isfinite(time_limit) and time_limit > 0):
            raise ValueError(f"time_limit must be a positive finite number of seconds, got {time_limit!r}")
        self.backend_name, self.profile_asked, self.time_limit = backend_name, profile, time_limit
        self.context = multiprocessing.get_context("spawn")
        self.process = None
        self.connection = None
        self.hangs = 0
        self.last_hang = ""
        self.restarts = 0
        self._start()
        info = self._handshake()
        if isinstance(info, str):
            raise SandboxStartError(info)
        self._adopt(info)

    # -- lifecycle --------------------------------------------------------------------------------------------------

    def _start(self) -> None:
        parent, child = self.context.Pipe(duplex=True)
        self.process = self.context.Process(
            target=_worker_main, args=(child, self.backend_name, self.profile_asked), name="snnloss-backend"
        )
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
            kind, payload = pickle.loads(self.connection.recv_bytes())
        except (EOFError, OSError):
            status = self._reap()
            return f"the worker loading backend {self.backend_name!r} {status} before it was ready"
        if kind != "ready":
            self._reap()
            return payload
        self._ready = True
        return payload

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
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            self.connection.send_bytes(dumps(("stop",)))
        self.process.join(5)
        self._kill()
        self.connection.close()
        self.process = None

    # -- requests ---------------------------------------------------------------------------------------------------

    def _request(self, *request) -> object:
        """The worker's answer, or :class:`CallFailedError` (declared hung, crash, exit, time-out)."""
        if self.declared_hung:
            raise CallFailedError(self.hung_message())
        problem = self._ensure_worker()
        if problem:
            raise CallFailedError(f"the backend's worker could not be restarted: {problem}")
        try:
            self.connection.send_bytes(dumps(request))
        except OSError:
            raise CallFailedError(f"the backend's worker {self._lost()} before the call") from None
        if not self.connection.poll(self.time_limit):
            self.hangs += 1
            self._kill()
            self._lost()
            self.last_hang = f"no answer in {self.time_limit:g} s"
            raise CallFailedError(f"{self.last_hang} (time-out {self.hangs} of {HANG_LIMIT}; worker killed)")
        try:
            answer = self.connection.recv_bytes()
        except (EOFError, OSError):
            raise CallFailedError(f"the backend's worker {self._lost()} during the call") from None
        try:
            kind, payload = pickle.loads(answer)
        except Exception as error:
            raise CallFailedError(f"the worker's answer could not be read: {type(error).__name__}: {error}") from None
        if kind == "raised":
            raise payload
        return payload

    @property
    def declared_hung(self) -> bool:
        return self.hangs >= HANG_LIMIT

    def hung_message(self) -> str:
        return f"backend declared hung after {HANG_LIMIT} time-outs (each: {self.last_hang}); this call was not made"

    def unsupported(self, op: str, params: dict, device: str, dtype: str | None, inputs: dict | None = None):
        try:
            return self._request("unsupported", op, _on_cpu(params), device, dtype, inputs)
        except BackendRaisedError as error:
            raise DeclarationError(_declaration_message(error)) from None

    def call(self, op: str, params: dict, inputs: dict, cotangent, device: str) -> Outcome:
        try:
            report = self._request("run", op, _on_cpu(params), _on_cpu(inputs), _cpu(cotangent), device)
        except CallFailedError as failure:
            return Outcome(error=failure)
        return outcome_from_report(report)


def _on_cpu(mapping: dict) -> dict:
    return {k: _cpu(v) for k, v in mapping.items()}


class DeclarationError(AssertionError):
    """The backend's ``unsupported()`` raised: the test fails with what it raised."""


def _declaration_message(error: BackendRaisedError) -> str:
    return f"the backend's unsupported() raised {error.type_name}: {error.message}\n{error.trace}"


class SandboxStartError(Exception):
    """The worker could not load the backend; the message says why."""
