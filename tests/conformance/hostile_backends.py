"""Backends that attack the harness: native crashes, exits, GIL-holding hangs. The sandbox must contain each.

Each misbehaves only on a narrow set of calls (an empty batch, a single time step), as
real ports do, so the meta-tests can check that the rest of the run goes on. They are
the reference otherwise. ``--backend tests/conformance/hostile_backends.py:NAME``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time

import reference
from conformance.backend import TorchModuleBackend
from tests.conformance.broken_backends import reference_with


def _segfault() -> None:
    ctypes.string_at(0)  # reads address 0: SIGSEGV in C, no Python exception


def _sigfpe() -> None:
    os.kill(os.getpid(), signal.SIGFPE)  # what MLX does on an empty batch


def _gil_holding_sleep(seconds: int) -> None:
    ctypes.PyDLL(None).sleep(seconds)  # libc sleep through PyDLL: the GIL is held the whole time


def _count_loss_that(misbehave, when) -> type:
    class _Loss(reference.ce_count_loss):
        def __call__(self, spk_out, targets):
            if when(spk_out):
                misbehave()
            return super().__call__(spk_out, targets)

    return _Loss


def _empty_batch(record) -> bool:
    return record.shape[1] == 0


def _single_step(record) -> bool:
    return record.shape[0] == 1


segfaults_on_empty_batch = reference_with(
    "segfaults_on_empty_batch", ce_count_loss=_count_loss_that(_segfault, _empty_batch)
)
sigfpe_on_empty_batch = reference_with("sigfpe_on_empty_batch", ce_count_loss=_count_loss_that(_sigfpe, _empty_batch))
exits_on_single_step = reference_with(
    "exits_on_single_step", ce_count_loss=_count_loss_that(lambda: os._exit(0), _single_step)
)


def _raise_system_exit() -> None:
    raise SystemExit(3)


system_exit_on_single_step = reference_with(
    "system_exit_on_single_step", ce_count_loss=_count_loss_that(_raise_system_exit, _single_step)
)
holds_the_gil_on_empty_batch = reference_with(
    "holds_the_gil_on_empty_batch", ce_count_loss=_count_loss_that(lambda: _gil_holding_sleep(600), _empty_batch)
)


class HangsOnEveryCall(TorchModuleBackend):
    """Every call sleeps far beyond any time limit."""

    def __init__(self) -> None:
        super().__init__(reference, name="hangs_on_every_call")

    def run(self, op, params, inputs, cotangent):
        time.sleep(3600)


class DeclaresNothing(TorchModuleBackend):
    ops = frozenset()

    def __init__(self) -> None:
        super().__init__(reference, name="declares_nothing")
