"""The arena: inputs keep their layout in shared memory, and what the worker does to them is seen outside."""

from __future__ import annotations

import pytest
import torch

from conformance.arena import ArenaPair, Placement, WorkerMaps, changed

LAYOUTS = {
    "contiguous": lambda: torch.arange(12.0).reshape(3, 4),
    "transposed": lambda: torch.arange(12.0).reshape(3, 4).t(),
    "offset": lambda: torch.arange(20.0)[5:17].reshape(3, 4),
    "expanded": lambda: torch.tensor([1.0, 2.0, 3.0]).expand(4, 3),
    "empty": lambda: torch.zeros(0, 4),
    "labels": lambda: torch.tensor([2, 0, 1], dtype=torch.int16),
    "bfloat16 step": lambda: torch.arange(8.0).to(torch.bfloat16)[::3],
}


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "private"])
@pytest.mark.parametrize("make", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_a_placed_tensor_keeps_its_values_and_layout(make, shared):
    pair = ArenaPair(shared)
    try:
        tensor = make()
        arena = pair.next([tensor])
        view = arena.view(arena.place(tensor))
        assert view.dtype == tensor.dtype and view.shape == tensor.shape and view.stride() == tensor.stride()
        assert torch.equal(view, tensor)
    finally:
        pair.close()


def test_the_worker_writes_through_its_own_mapping_and_the_judge_sees_it():
    pair = ArenaPair(shared=True)
    try:
        record, labels = torch.rand(3, 2, 4), torch.tensor([1, 3])
        arena = pair.next([record, labels])
        placed = {"record": (arena.place(record), record.clone()), "labels": (arena.place(labels), labels.clone())}
        assert changed(arena, placed) == ()
        worker_view = WorkerMaps().tensor(Placement.from_message(placed["record"][0].as_message()))
        worker_view[0, 0, 0] += 1  # what a backend that modifies its input does, in another mapping
        assert changed(arena, placed) == ("record",)
    finally:
        pair.close()


def test_two_arenas_alternate_so_the_previous_calls_inputs_stay_intact():
    pair = ArenaPair(shared=True)
    try:
        first = pair.next([torch.ones(4)])
        kept = first.view(first.place(torch.ones(4)))
        second = pair.next([torch.zeros(4)])
        second.place(torch.zeros(4))
        assert second is not first and torch.equal(kept, torch.ones(4))
    finally:
        pair.close()


def test_an_arena_grows_for_large_inputs_and_removes_its_files():
    from pathlib import Path

    pair = ArenaPair(shared=True)
    big = torch.rand(3, 1024, 1024)  # 12 MiB, beyond the first size
    arena = pair.next([big])
    placement = arena.place(big)
    assert torch.equal(WorkerMaps().tensor(placement), big)
    pair.close()
    assert not Path(placement.path).exists()
