"""The legacy behaviours ``LB-n`` of the ``snntorch-1.0`` profile (``docs/spec/legacy.md``).

Each function reproduces one behaviour of snnTorch 1.0.0 that the ``spec``
profile corrects, named after its id, so the spec path never carries them.

Each also *notes* its id, while :func:`recording` is active, exactly when it makes
this call depart from the spec, so the conformance harness can say which legacy
behaviours explain a difference between a backend and the spec reference.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

import torch
import torch.nn.functional as F

from ..checks import check_reduction

_NOTED: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("legacy_noted", default=None)


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the ids of the legacy behaviours that changed the calls made inside the block."""
    noted: set[str] = set()
    token = _NOTED.set(noted)
    try:
        yield noted
    finally:
        _NOTED.reset(token)


def note(lb_id: str, applies: bool = True) -> None:
    """Record that legacy behaviour ``lb_id`` applied to the current call (when ``applies``)."""
    noted = _NOTED.get()
    if noted is not None and applies:
        noted.add(lb_id)


def lb1_clamped_class_targets(labels: torch.Tensor, num_classes: int, on_target, off_target) -> torch.Tensor:
    """LB-1: ``spikegen.targets_convert``: float32; when ``on > off`` the off entries are ``max(0, off)``."""
    if lb13_any_label_out_of_bounds(labels, num_classes):
        raise lb17_upstream_error(
            Exception, f"target [{torch.max(labels)}] is out of bounds for ``num_classes`` [{num_classes}]"
        )
    note("LB-1", on_target > off_target and off_target < 0)
    onehot = torch.zeros(len(labels), num_classes, dtype=torch.float32, device=labels.device)
    onehot = onehot.scatter(1, lb12_truncated_labels(labels).unsqueeze(-1), 1)
    if on_target > off_target:
        return torch.clamp(onehot * on_target, off_target)
    return onehot * on_target + ~onehot.bool() * off_target


def lb2_float32_population_code(record: torch.Tensor, num_classes, num_outputs: int) -> torch.Tensor:
    """LB-2: block sums over neurons and time, always returned as float32."""
    if not num_classes:
        raise Exception("``num_classes`` must be specified if ``population_code=True``.")
    if num_outputs % num_classes:
        raise Exception(f"``num_outputs {num_outputs} must be a factor of num_classes {num_classes}.")
    size = num_outputs // num_classes
    note("LB-2", record.dtype != torch.float32)
    # One slice per class, as upstream: slice gradients are summed, which turns -0.0 into +0.0.
    block_sums = [record[:, :, c * size : (c + 1) * size].sum(-1).sum(0) for c in range(num_classes)]
    return torch.stack(block_sums, dim=-1).to(torch.float32)


def lb2_float32_step_sum(step_losses, shape, device) -> torch.Tensor:
    """LB-2: per-step losses added one step at a time into a float32 accumulator of ``shape``."""
    total = torch.zeros(shape, dtype=torch.float32, device=device)
    for step_loss in step_losses:
        note("LB-2", step_loss.dtype != torch.float32)
        total += step_loss
    return total


def lb3_one_element_shape(reduction: str, weight) -> tuple[int, ...] | int:
    """LB-3: the accumulator of ``ce_rate_loss``/``mse_membrane_loss`` is ``[1]`` when reduced without weight."""
    one_element = weight is None and reduction in ("mean", "sum")
    note("LB-3", one_element)
    return 1 if one_element else -1


def lb4_weight_last_axis(loss: torch.Tensor, weight: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """LB-4: ``loss * weight[index]``, broadcast against the *last* axis of ``loss``."""
    note("LB-4")
    return loss * weight[index]


def lb5_weighted_reduce(loss: torch.Tensor, reduction: str, weight) -> torch.Tensor:
    """LB-5: with ``weight``, only ``'mean'`` reduces; ``'sum'`` (or any other string, LB-6) is unreduced."""
    note("LB-5", weight is not None and reduction != "mean")
    return loss.mean() if (weight is not None and reduction == "mean") else loss


def lb6_reduction(reduction: str, weight) -> str:
    """LB-6: an invalid ``reduction`` is accepted when ``weight`` is set (torch would reject it otherwise)."""
    note("LB-6", weight is not None and reduction not in ("mean", "sum", "none"))
    return reduction if weight is not None else check_reduction(reduction)


def lb7_population_neuron_weight(weight: torch.Tensor, num_classes, num_outputs: int) -> torch.Tensor:
    """LB-7: ``ce_rate_loss(population_code=True)``: a per-*neuron* float32 weight from ``weight[0]``, ``weight[1]``."""
    note("LB-7")
    first_block = int(num_outputs / num_classes)
    return torch.Tensor([weight[0] if n < first_block else weight[1] for n in range(num_outputs)]).to(weight.device)


def lb8_step_targets(target_rows: torch.Tensor, step: int) -> torch.Tensor:
    """LB-8: ``time_var_targets=True`` takes the target row of *sample* ``step`` for every sample."""
    note("LB-8")
    return target_rows[step]


def lb9_zero_whole_steps(spk_rec: torch.Tensor, times: torch.Tensor) -> None:
    """LB-9: after each pass, zero every time step that was the n-th spike time of *any* neuron (in place)."""
    note("LB-9")
    spk_rec[torch.unique(times.long())] = 0


def lb9_assign_backward(grad: torch.Tensor, times: torch.Tensor, grad_output: torch.Tensor) -> torch.Tensor:
    """LB-9: the MultiSpike backward *assigns* ``-g[f]`` per spike f in order, so the last f wins on a shared step."""
    note("LB-9")
    for spike in range(times.size(0)):
        grad.scatter_(0, times[spike : spike + 1].long(), -grad_output[spike : spike + 1])
    return grad


def lb10_time_targets_to_wrap(targets: torch.Tensor) -> torch.Tensor:
    """LB-10: upstream wraps negative target times inside the caller's tensor; here a copy is wrapped instead.

    The values are upstream's; only the in-place write is left out (the ``snntorch-1.0`` profile tolerates it,
    and the harness compares arguments before and after each call).
    """
    note("LB-10", bool((targets < 0).any()))
    return targets.clone()


def lb11_weight_index(labels: torch.Tensor, target_time: torch.Tensor, target_is_time: bool) -> torch.Tensor:
    """LB-11: ``mse_temporal_loss`` indexes ``weight`` with the *target times* when ``target_is_time=True``.

    Float times raise ``IndexError`` in the indexing; the spec rejects the combination at construction.
    """
    note("LB-11", target_is_time)
    return target_time if target_is_time else labels


def lb12_truncated_labels(targets: torch.Tensor) -> torch.Tensor:
    """LB-12: the MSE family accepts any numeric labels and truncates them to int64."""
    note("LB-12", targets.is_floating_point())
    return targets.type(torch.int64)


def lb13_any_label_out_of_bounds(labels: torch.Tensor, num_classes: int) -> bool:
    """LB-13: ``spikegen.targets_convert`` takes ``torch.max`` of the labels, which raises on an empty batch.

    So every loss that turns labels into targets raises ``RuntimeError`` for ``B = 0`` where the spec follows
    torch's empty reductions (SHARED-11). Returns whether any label is at least ``num_classes``.
    """
    note("LB-13", labels.numel() == 0)
    return bool(torch.max(labels > num_classes - 1))


def lb13_no_time_steps(record: torch.Tensor) -> None:
    """LB-13: a record without time steps (``T = 0``) is not rejected upstream; the rate and membrane losses run
    on, giving ``ln(N)``, NaN or ``[nan]`` where the spec raises ``ValueError`` (SHARED-1). Notes it.
    """
    note("LB-13", record.dim() > 0 and record.size(0) == 0)


def lb14_first_spike_onehot(first_step: torch.Tensor, record_shape: torch.Size, dtype: torch.dtype) -> torch.Tensor:
    """LB-14: where the FirstSpike backward puts its 1s; for rank >= 4 it fills whole trailing rows."""
    onehot = torch.zeros(record_shape, dtype=dtype, device=first_step.device)
    onehot = onehot.scatter_(0, first_step.unsqueeze(0), 1.0)
    if len(record_shape) <= 3:
        return onehot
    note("LB-14")
    row_hit = onehot.flatten(3).amax(-1)
    return row_hit.reshape(row_hit.shape + (1,) * (len(record_shape) - 3)).expand(record_shape).clone()


def lb15_mixed_dtypes(first: torch.Tensor, second: torch.Tensor | None) -> None:
    """LB-15: upstream hands tensors of two dtypes to one torch op (``nll_loss`` with a weight of another dtype,
    ``index_put`` of float32 targets into half-precision times), which raises ``RuntimeError`` where the spec
    returns a value. Notes the behaviour when ``first`` and ``second`` differ in dtype; torch raises.
    """
    note("LB-15", second is not None and first.dtype != second.dtype)


def lb16_label_dtype(targets: torch.Tensor) -> torch.Tensor:
    """LB-16: the CE losses hand labels to torch as they are; torch accepts only int64 and uint8 (else RuntimeError)."""
    note("LB-16", targets.dtype not in (torch.int64, torch.uint8))
    return targets


def lb17_upstream_error(error_class: type[Exception], message: str) -> Exception:
    """LB-17: the error upstream raises where the spec raises too, but with another class (a bare ``Exception``,
    ``IndexError``) or a message that does not name the argument. Returns it, for the caller to raise.
    """
    note("LB-17")
    return error_class(message)


def lb19_unchecked_time_targets(targets: torch.Tensor, record: torch.Tensor, multi_spike: bool) -> torch.Tensor:
    """LB-19: upstream takes explicit target times of any shape: with ``multi_spike=True`` it reads ``F`` from
    ``targets.size(0)`` whatever the rank (``[B, N]`` gives ``F = B``), and without it a shape that does not
    broadcast to ``[B, N]`` comes back as it is. Notes it; returns ``targets`` unchanged.
    """
    batch_shape = tuple(record.shape[1:])
    expected = (targets.size(0), *batch_shape) if multi_spike and targets.dim() else batch_shape
    try:
        fits = torch.broadcast_shapes(tuple(targets.shape), expected) == expected
    except RuntimeError:
        fits = False
    note("LB-19", not fits or (multi_spike and targets.dim() != 3))
    return targets


def lb18_time_in_record_dtype(exact: torch.Tensor, computed: torch.Tensor) -> torch.Tensor:
    """LB-18: spike times are computed in the record's dtype (``spk * (t + 1) - 1``), so a half-precision record
    gets times rounded twice: wrong above 256 (bfloat16) or 2048 (float16), e.g. T-1 = 256 becomes 255 in bfloat16.
    """
    note("LB-18", bool((computed.double() != exact.double()).any()))
    return computed


def lb18_time_index(first_step: torch.Tensor, num_steps: int) -> torch.Tensor:
    """LB-18 in the backward: a time rounded up past the record (``T - 1 = 299`` is 300 in bfloat16) is used as
    an index, and upstream's loop raises ``IndexError`` (bfloat16 records with ``T > 256`` and a silent neuron).
    """
    past = first_step >= num_steps
    if bool(past.any()):
        note("LB-18")
        raise IndexError(f"index {int(first_step.max())} is out of bounds for dimension 0 with size {num_steps}")
    return first_step


def mse(prediction: torch.Tensor, target: torch.Tensor, reduction: str) -> torch.Tensor:
    """``torch.nn.MSELoss`` as upstream calls it (target broadcast warnings included)."""
    loss = F.mse_loss(prediction, target, reduction=reduction)
    note("LB-2", loss.dtype != prediction.dtype)  # float32 targets promote a half-precision record
    return loss
