"""The backend's side of the sandbox: the only harness code that runs in a process with the backend's code.

:class:`BackendService` makes one call of the backend and says what came back, as plain data
(:mod:`conformance.wire`): device placement, the kernel counter, what the value and the gradient
were, and a re-reading of the *previous* call's result (whether a returned tensor changed when the
backend was called again, SHARED-14). It does not check the inputs for mutation: the judging
process does that from outside, on the shared memory the inputs were handed over in
(:mod:`conformance.arena`). :func:`serve` is the worker's main loop.

Whatever this module reports, the judging process validates before it believes it; a backend can
patch anything here, so nothing it says is trusted beyond its own results.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import signal
import traceback

import torch

from .arena import Placement, WorkerMaps
from .backend import Backend, InputInfo, Result
from .outcome import safe_str
from .vocabulary import SPEC
from .wire import NAMES, decode, digest, encode

MESSAGE_LIMIT = 20_000  # characters of an exception's message or traceback that are sent


def qualified_name(kind: type) -> str:
    module = getattr(kind, "__module__", "") or ""
    return f"{module}.{kind.__qualname__}" if module not in ("builtins", "") else kind.__qualname__


def error_report(error: BaseException) -> dict:
    """An exception as plain data: its class names, message and the last frames of its traceback."""
    return {
        "type_name": type(error).__name__,
        "class_names": [c.__name__ for c in type(error).__mro__],
        "message": safe_str(error)[:MESSAGE_LIMIT],
        "trace": traceback.format_exc(limit=-6)[-MESSAGE_LIMIT:],
    }


def plain_tensor(value) -> tuple[torch.Tensor | None, dict]:
    """``value`` as a plain CPU ``torch.Tensor`` copy (whatever subclass it was), and what it really was."""
    returned = {"type_name": qualified_name(type(value)), "is_tensor": False, "exact_tensor": False}
    if not isinstance(value, torch.Tensor):
        return None, returned
    returned.update(is_tensor=True, exact_tensor=type(value) is torch.Tensor)
    try:
        with torch._C.DisableTorchFunctionSubclass():
            returned["device"] = str(torch.Tensor.device.__get__(value))
            plain = torch.Tensor.detach(value).to("cpu", copy=True)
        if type(plain) is not torch.Tensor:
            plain = plain.as_subclass(torch.Tensor)
        if plain.layout != torch.strided or plain.dtype not in NAMES:
            raise TypeError(f"a {plain.layout} tensor of dtype {plain.dtype} cannot be read by the harness")
    except Exception as error:  # a subclass that cannot even be copied
        returned["problem"] = f"cannot be read: {type(error).__name__}: {safe_str(error)[:MESSAGE_LIMIT]}"
        return None, returned
    return plain, returned


def _accepts_inputs(method) -> bool:
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    return "inputs" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


class BackendService:
    """Runs one backend's calls and reports them as plain data."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._previous: dict[str, object] = {}  # slot -> the object the backend returned last

    def info(self) -> dict:
        b = self.backend
        return {
            "name": str(b.name),
            "version": str(b.version),
            "describe": str(b.describe()),
            "profile": None if b.profile is None else str(b.profile),
            "devices": [str(d) for d in b.devices],
            "dtypes": [str(d) for d in b.dtypes],
            "ops": sorted(str(o) for o in b.ops),
            "differentiable_ops": sorted(str(o) for o in b.differentiable_ops),
            "expectations": None if b.expectations is None else str(b.expectations),
            "domain": _plain_domain(getattr(b, "domain", None)),
        }

    def unsupported(self, op: str, params: dict, device: str, dtype: str | None, inputs: dict | None) -> str | None:
        """Ask the backend, with the case's inputs (name -> :class:`InputInfo`) if its override takes them."""
        method = self.backend.unsupported
        if inputs is not None and _accepts_inputs(method):
            infos = {name: InputInfo(tuple(shape), dtype_name) for name, (shape, dtype_name) in inputs.items()}
            reason = method(op, params, device, dtype, inputs=infos)
        else:
            reason = method(op, params, device, dtype)
        return None if reason is None else str(reason)[:MESSAGE_LIMIT]

    def run(self, op: str, params: dict, inputs: dict, cotangent, device: str) -> dict:
        """One call on ``device``; ``params`` and ``inputs`` hold CPU tensors over the shared arena.

        On a device other than the CPU the inputs are copied there and, after the call, back into the
        arena, so the judging process sees what the call did to them.
        """
        on_device = {k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in params.items()}
        handed = {name: t.to(device) for name, t in inputs.items()}
        report: dict = {}
        try:
            before = self.backend.kernel_calls()
            result = self.backend.run(op, on_device, dict(handed), None if cotangent is None else cotangent.to(device))
            after = self.backend.kernel_calls()
        except Exception as error:
            report["raised"] = error_report(error)
            result = None
        except BaseException as error:  # SystemExit, KeyboardInterrupt: the backend tried to end the process
            report["ended"] = error_report(error)
            result = None
        else:
            # A call with an empty record has no work for a kernel: skipping the launch is correct, not a fallback.
            has_work = all(t.numel() for t in handed.values() if t.is_floating_point())
            if before is not None and after is not None and has_work:
                report["kernel_ran"] = bool(after > before)
            report.update(self._read_result(result))
        report["previous"] = self._reread_previous()
        self._previous = {} if not isinstance(result, Result) else {"value": result.value, "grad": result.grad}
        _copy_back(params, on_device)
        _copy_back(inputs, handed)
        return report

    def _reread_previous(self) -> dict:
        """The digest of each tensor the previous call returned, read again now (``None``: not a tensor)."""
        digests = {}
        for slot, value in self._previous.items():
            plain, _ = plain_tensor(value) if isinstance(value, torch.Tensor) else (None, None)
            digests[slot] = None if plain is None else digest(plain)
        return digests

    @staticmethod
    def _read_result(result) -> dict:
        if not isinstance(result, Result):
            return {"not_a_result": qualified_name(type(result))}
        value, value_info = plain_tensor(result.value)
        returned = {"value": value_info}
        grad = None
        if result.grad is not None:
            grad, returned["grad"] = plain_tensor(result.grad)
        return {"value": value, "grad": grad, "returned": returned}


def _copy_back(arena_side: dict, device_side: dict) -> None:
    for name, tensor in arena_side.items():
        copy = device_side.get(name)
        if isinstance(tensor, torch.Tensor) and isinstance(copy, torch.Tensor) and copy is not tensor:
            with contextlib.suppress(Exception):  # the backend replaced the input with something that cannot be copied
                tensor.copy_(copy.detach().to("cpu"))


def _plain_domain(domain) -> dict | None:
    if domain is None:
        return None
    plain = domain.as_plain() if hasattr(domain, "as_plain") else domain
    return plain if isinstance(plain, dict) else None


# ---------------------------------------------------------------------------------------------------------------------
# The worker process


def _resolve(request: dict, maps: WorkerMaps) -> tuple[dict, dict]:
    """The request's parameters and inputs, with every placed tensor as a view of the shared arena."""
    params, inputs = dict(request["params"]), {}
    for key, message in request["placed"].items():
        where, name = key.split(":", 1)
        tensor = maps.tensor(Placement.from_message(message))
        (params if where == "param" else inputs)[name] = tensor
    order = request["input_order"]
    return params, {name: inputs[name] for name in order}


def serve(connection, backend_name: str, profile: str | None, environment: dict | None = None) -> None:
    """The worker: load the backend, say what it declares, then answer requests until told to stop.

    ``environment`` is the judging process's, as it is when this worker starts (a forked worker would
    otherwise inherit the forkserver's, from when the server started).
    """
    from .loading import BackendError, load_backend

    if environment is not None:
        os.environ.clear()
        os.environ.update(environment)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the judging process's to handle
    try:
        backend = load_backend(backend_name)
        if hasattr(backend, "active_profile"):
            backend.active_profile = profile or backend.profile or SPEC
        service = BackendService(backend)
        info = service.info()
        connection.send_bytes(encode({"kind": "ready", "info": info}))
    except BackendError as error:
        connection.send_bytes(encode({"kind": "load-error", "message": str(error)}))
        return
    except BaseException as error:
        reason = safe_str(error)[:MESSAGE_LIMIT]
        message = f"backend {backend_name!r} failed while declaring itself: {type(error).__name__}: {reason}"
        connection.send_bytes(encode({"kind": "load-error", "message": message}))
        return
    maps = WorkerMaps()
    while True:
        try:
            request = decode(connection.recv_bytes())
        except EOFError:  # the judging process went away
            return
        kind = request["kind"]
        if kind == "stop":
            return
        try:
            if kind == "run":
                params, inputs = _resolve(request, maps)
                answer = service.run(request["op"], params, inputs, request["cotangent"], request["device"])
            else:
                answer = service.unsupported(
                    request["op"], request["params"], request["device"], request["dtype"], request["inputs"]
                )
            reply = {"kind": "ok", "answer": answer}
        except Exception as error:  # unsupported() itself raised
            reply = {"kind": "raised", "error": error_report(error)}
        except BaseException as error:
            reply = {"kind": "ended", "error": error_report(error)}
        connection.send_bytes(encode(reply))
