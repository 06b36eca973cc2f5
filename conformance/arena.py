"""Shared memory for a call's input tensors, so that the judging process sees what the backend did to them.

The judging process copies each input (the record, the labels, tensor parameters) into an
:class:`Arena`: a file in ``/dev/shm`` (or the temporary folder) that it and the worker both map.
The worker hands the backend tensors *over that memory*; after the call the judging process reads
the same bytes and compares them with its own copies (:func:`changed`). A backend that modifies an
input in place, and then patches torch's comparison functions in its own process to hide it, is
still caught: the comparison runs where the backend's code does not.

Every placed tensor keeps its layout (shape, strides, storage offset) inside its own region, so a
strided or expanded input reaches the backend as strided or expanded. Two arenas alternate between
calls (:class:`ArenaPair`), so the memory of one call's inputs is not rewritten before the next
call has run (a result that is a view of its inputs stays valid, see SHARED-14).
"""

from __future__ import annotations

import contextlib
import math
import mmap
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch

from .wire import DTYPES, NAMES

ALIGN = 64
FIRST_SIZE = 1 << 20


@dataclass(frozen=True)
class Placement:
    """Where a tensor lies in an arena: its region and its layout there (plain data, sent to the worker)."""

    path: str
    position: int
    nbytes: int
    dtype: str
    shape: tuple[int, ...]
    stride: tuple[int, ...]
    offset: int

    def as_message(self) -> dict:
        return {
            "path": self.path,
            "position": self.position,
            "nbytes": self.nbytes,
            "dtype": self.dtype,
            "shape": list(self.shape),
            "stride": list(self.stride),
            "offset": self.offset,
        }

    @classmethod
    def from_message(cls, message: dict) -> Placement:
        return cls(
            str(message["path"]),
            int(message["position"]),
            int(message["nbytes"]),
            str(message["dtype"]),
            tuple(int(n) for n in message["shape"]),
            tuple(int(s) for s in message["stride"]),
            int(message["offset"]),
        )


def _span(tensor: torch.Tensor) -> tuple[int, int]:
    """The first and one-past-last storage elements ``tensor`` reaches."""
    if tensor.numel() == 0:
        return tensor.storage_offset(), tensor.storage_offset()
    last = tensor.storage_offset() + sum((n - 1) * s for n, s in zip(tensor.shape, tensor.stride(), strict=False))
    return tensor.storage_offset(), last + 1


def view(memory: torch.Tensor, placement: Placement) -> torch.Tensor:
    """The tensor ``placement`` describes, over ``memory`` (a uint8 tensor of the whole arena)."""
    region = memory[placement.position : placement.position + placement.nbytes]
    dtype = DTYPES[placement.dtype]
    flat = region.view(dtype) if placement.nbytes else torch.empty(0, dtype=dtype)
    return flat.as_strided(placement.shape, placement.stride, flat.storage_offset() + placement.offset)


class Arena:
    """One shared (or, for ``--conformance-isolation none``, private) region that grows as calls need."""

    def __init__(self, shared: bool = True) -> None:
        self.shared = shared
        self.path = ""
        self.memory = torch.empty(0, dtype=torch.uint8)
        self._map: mmap.mmap | None = None
        self._used = 0

    def reset(self) -> None:
        self._used = 0

    def place(self, tensor: torch.Tensor) -> Placement:
        """Copy ``tensor`` (CPU, any layout) into the arena; where it now lies."""
        tensor = tensor.detach()
        if tensor.dtype not in NAMES:
            raise TypeError(f"an input of dtype {tensor.dtype} cannot be handed to the worker")
        first, end = _span(tensor)
        size = tensor.element_size()
        nbytes = (end - first) * size
        position = math.ceil(self._used / ALIGN) * ALIGN
        self._grow(position + nbytes)
        if nbytes:  # a plain memory copy (numpy's): torch would start its thread pool for it, per call
            storage = torch.empty(0, dtype=torch.uint8).set_(tensor.untyped_storage())
            self.memory[position : position + nbytes].numpy()[:] = storage[first * size : end * size].numpy()
        self._used = position + nbytes
        return Placement(self.path, position, nbytes, NAMES[tensor.dtype], tuple(tensor.shape), tensor.stride(), 0)

    def view(self, placement: Placement) -> torch.Tensor:
        return view(self.memory, placement)

    def _grow(self, needed: int) -> None:
        if needed <= self.memory.numel():
            return
        if self._used:
            raise RuntimeError("an arena grows only before its first placement of a call")
        size = max(FIRST_SIZE, 1 << max(needed - 1, 1).bit_length())
        self.close()
        if not self.shared:
            self.memory = torch.zeros(size, dtype=torch.uint8)
            return
        folder = "/dev/shm" if os.path.isdir("/dev/shm") else None
        descriptor, path = tempfile.mkstemp(prefix="snnloss-arena-", dir=folder)
        try:
            os.ftruncate(descriptor, size)
            self._map = mmap.mmap(descriptor, size)
        finally:
            os.close(descriptor)
        self.path = path
        self.memory = torch.frombuffer(self._map, dtype=torch.uint8)

    def close(self) -> None:
        if self.path:
            with contextlib.suppress(OSError):
                Path(self.path).unlink()
        self.path = ""
        self.memory = torch.empty(0, dtype=torch.uint8)
        self._map = None  # unmapped when the last tensor over it is gone


def placement_size(tensors) -> int:
    """Bytes an arena needs for ``tensors``, alignment included."""
    total = 0
    for tensor in tensors:
        first, end = _span(tensor)
        total = math.ceil(total / ALIGN) * ALIGN + (end - first) * tensor.element_size()
    return total


class ArenaPair:
    """Two arenas used in turn, one per call."""

    def __init__(self, shared: bool = True) -> None:
        self.arenas = (Arena(shared), Arena(shared))
        self.turn = 0

    def next(self, tensors) -> Arena:
        """The arena for the next call, emptied and large enough for ``tensors``."""
        self.turn ^= 1
        arena = self.arenas[self.turn]
        arena.reset()
        arena._grow(placement_size(tensors))
        return arena

    def close(self) -> None:
        for arena in self.arenas:
            arena.close()


def same_tensor(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Equal in shape, dtype and every element; NaN equals NaN."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.is_floating_point() or a.is_complex():
        both_nan = torch.isnan(a) & torch.isnan(b)
        return bool(((a == b) | both_nan).all())
    return bool(torch.equal(a, b))


def _same_bytes(arena: Arena, placement: Placement, own: torch.Tensor) -> bool:
    """Whether the placed region still holds ``own``'s bytes exactly (numpy's comparison: no thread pool)."""
    first, end = _span(own)
    size = own.element_size()
    region = arena.memory[placement.position : placement.position + placement.nbytes].numpy()
    storage = torch.empty(0, dtype=torch.uint8).set_(own.untyped_storage())[first * size : end * size].numpy()
    return bool((region == storage).all())


def changed(arena: Arena, placed: dict[str, tuple[Placement, torch.Tensor]]) -> tuple[str, ...]:
    """The names whose values in ``arena`` no longer equal the judging process's own copies (NaN equals NaN)."""
    return tuple(
        name
        for name, (placement, own) in placed.items()
        if not _same_bytes(arena, placement, own) and not same_tensor(arena.view(placement), own)
    )


class WorkerMaps:
    """The worker's side: arena files mapped by path, the latest few kept."""

    KEEP = 4

    def __init__(self) -> None:
        self._maps: dict[str, tuple[int, torch.Tensor]] = {}

    def memory(self, path: str) -> torch.Tensor:
        inode = os.stat(path).st_ino  # a path the judging process reused names a new file
        known = self._maps.get(path)
        if known is None or known[0] != inode:
            with open(path, "r+b") as handle:
                mapping = mmap.mmap(handle.fileno(), 0)
            self._maps.pop(path, None)
            self._maps[path] = (inode, torch.frombuffer(mapping, dtype=torch.uint8))
            while len(self._maps) > self.KEEP:
                self._maps.pop(next(iter(self._maps)))  # still mapped while a tensor over it lives
        return self._maps[path][1]

    def tensor(self, placement: Placement) -> torch.Tensor:
        return view(self.memory(placement.path), placement)
