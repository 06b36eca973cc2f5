"""Backends that attack the judge itself, or crash on every call. Each must be caught, or end the run fast.

* :class:`CodeInReply`: returns an object whose unpickling would replace the judge's comparison;
* :class:`ForgesRawReply`: writes a pickle frame straight into the worker's pipe before answering;
* :class:`HidesMutation`: modifies its record in place, then patches torch's comparisons in its
  own process so that a check made there sees no change;
* :class:`WritesIntoVectors`: writes a ``.yaml`` file into a vectors folder (``ATTACK_VECTOR_DIR``, a copy);
* :class:`ReusesOutputBuffer`: returns views of one workspace that its next call overwrites;
* ``segfaults_always``, ``exits_always``, ``system_exit_always``, ``keyboard_interrupt_always``:
  every call ends the worker (or tries to).

``--backend tests/conformance/attack_backends.py:NAME``. Apart from their attack, they are the reference.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
from multiprocessing.connection import Connection
from pathlib import Path

import torch

import reference
from conformance.backend import Result, TorchModuleBackend

MARKER_ENV = "ATTACK_MARKER"  # a file the attack creates in whichever process runs its code
PAYLOAD = (
    "import os, pathlib\n"
    "marker = os.environ.get('ATTACK_MARKER')\n"
    "if marker: pathlib.Path(marker).write_text(str(os.getpid()))\n"
    "import conformance.golden.compare as c\n"
    "c.difference = lambda *a, **k: None\n"
)


class _Exploit:
    """Unpickling this runs :data:`PAYLOAD`: it would mark the file and make every comparison pass."""

    def __reduce__(self):
        return exec, (PAYLOAD,)


class _Reference(TorchModuleBackend):
    def __init__(self, name: str) -> None:
        super().__init__(reference, name=name)


def _wrong(result: Result) -> Result:
    """The reference's result, made wrong, so that only an exploit could make it pass."""
    return Result(result.value + 1, None if result.grad is None else result.grad + 1)


class CodeInReply(_Reference):
    """Returns the exploit in place of the value (and a wrong gradient)."""

    def __init__(self) -> None:
        super().__init__("code-in-reply")

    def run(self, op, params, inputs, cotangent):
        result = super().run(op, params, inputs, cotangent)
        return Result(_Exploit(), None if result.grad is None else result.grad + 1)


class ForgesRawReply(_Reference):
    """Finds the worker's connection and sends a pickled exploit as the reply, then a wrong answer."""

    def __init__(self) -> None:
        super().__init__("forges-raw-reply")

    def run(self, op, params, inputs, cotangent):
        for obj in gc.get_objects():
            if isinstance(obj, Connection) and not obj.closed:
                obj.send_bytes(pickle.dumps(("ok", _Exploit())))
        return _wrong(super().run(op, params, inputs, cotangent))


class HidesMutation(_Reference):
    """Zeroes its record in place, and makes torch's comparisons in this process say nothing changed."""

    def __init__(self) -> None:
        super().__init__("hides-mutation")

    def run(self, op, params, inputs, cotangent):
        result = super().run(op, params, dict(inputs), cotangent)
        record = next(t for t in inputs.values() if t.is_floating_point())
        with torch.no_grad():
            record.zero_()
        torch.equal = lambda a, b: True
        torch.Tensor.__eq__ = lambda a, b: torch.ones_like(a, dtype=torch.bool)
        torch.Tensor.all = lambda self, *a, **k: torch.tensor(True)
        return result


class WritesIntoVectors(_Reference):
    """Writes a vector file of its own into the vectors folder on every call."""

    def __init__(self) -> None:
        super().__init__("writes-into-vectors")

    def run(self, op, params, inputs, cotangent):
        folder = os.environ.get("ATTACK_VECTOR_DIR")
        if not folder:  # never the project's own folder: the meta-test gives a copy
            raise RuntimeError("set ATTACK_VECTOR_DIR to the vectors folder to plant a file in")
        (Path(folder) / "zz_planted.yaml").write_text("schema: planted\n")
        return super().run(op, params, inputs, cotangent)


class ReusesOutputBuffer(_Reference):
    """A kernel that writes every result into one workspace and returns views of it."""

    def __init__(self) -> None:
        super().__init__("reuses-output-buffer")
        self.workspace = torch.empty(0)

    def run(self, op, params, inputs, cotangent):
        result = super().run(op, params, inputs, cotangent)
        value = result.value
        if not isinstance(value, torch.Tensor):
            return result
        if self.workspace.numel() < value.numel() or self.workspace.dtype != value.dtype:
            self.workspace = torch.empty(max(value.numel(), 4096), dtype=value.dtype)
        out = self.workspace[: value.numel()].view(value.shape)
        out.copy_(value)
        return Result(out, result.grad)


class _EndsEveryCall(_Reference):
    def __init__(self, name: str, end) -> None:
        super().__init__(name)
        self.end = end

    def run(self, op, params, inputs, cotangent):
        self.end()


def _segfault() -> None:
    ctypes.string_at(0)


def _system_exit() -> None:
    raise SystemExit(0)


def _keyboard_interrupt() -> None:
    raise KeyboardInterrupt


def segfaults_always() -> _EndsEveryCall:
    return _EndsEveryCall("segfaults-always", _segfault)


def exits_always() -> _EndsEveryCall:
    return _EndsEveryCall("exits-always", lambda: os._exit(0))


def system_exit_always() -> _EndsEveryCall:
    return _EndsEveryCall("system-exit-always", _system_exit)


def keyboard_interrupt_always() -> _EndsEveryCall:
    return _EndsEveryCall("keyboard-interrupt-always", _keyboard_interrupt)
