"""One case, one call, one verdict: how vector and property tests hand a backend's call to the judge.

A vector test has its case from a vector file. A property test makes the same kind of case from
the drawn input with :func:`reference_case` (the generator that writes the vector files), so
both are judged by :func:`conformance.judging.judge.verdict` in the same way.
"""

from __future__ import annotations

import torch

from ..golden import cases as golden_cases
from ..golden import generate
from ..golden.load import expectation_for
from ..judging.judge import Verdict, verdict
from ..run.context import Context
from ..tensors import decode
from ..vocabulary import SPEC


def reference_case(op: str, params: dict, inputs: dict, comment: str = "") -> tuple[dict, dict]:
    """The vector case of one input, expectations from the reference under both profiles, and its encoded params.

    The LB ids are the legacy behaviours snnTorch 1.0.0's code path took on this input.
    """
    case = golden_cases.Case(op=op, params=params, inputs=inputs, clauses=(), comment=comment)
    return generate.build_case(case, strict=False)


def cotangent_of(context: Context, op: str, case: dict) -> torch.Tensor | None:
    """The case's cotangent, when the backend differentiates ``op`` and the expectation has a gradient."""
    expected = case["expected"]
    expectation = expectation_for(expected, context.profile)
    spec = expectation_for(expected, SPEC)
    grad = expectation.get("grad") if expectation["result"] == "valid" else spec.get("grad")
    if grad is None or op not in context.backend.differentiable_ops:
        return None
    return decode(grad["cotangent"])


def judge_case(
    context: Context, op: str, params: dict, inputs: dict, case: dict, device: str, named: tuple[str, ...] = ()
) -> Verdict:
    """Call the backend on one case (CPU inputs; the worker moves them to ``device``) and judge the call.

    The verdict's clause statuses are noted on the running test, for the clause report.
    """
    cotangent = cotangent_of(context, op, case)
    outcome = context.backend.call(op, params, inputs, cotangent, device)
    if "SHARED-14" in named and outcome.result is not None:
        probe_retention(context, op, params, inputs, cotangent, device, outcome)
    result = verdict(
        outcome,
        op,
        params,
        inputs,
        case,
        context.profile,
        device,
        context.legacy_is_expected,
        named_clauses=named,
        wanted_gradient=cotangent is not None,
    )
    note(context, result)
    return result


def other_inputs(op: str, inputs: dict) -> dict:
    """The same inputs with another record (spikes and silences swapped, or other values), for a second call."""
    from ..ops import OPS

    name = OPS[op].differentiable
    record = inputs[name]
    if not record.is_floating_point():
        return inputs
    binary = bool(((record == 0) | (record == 1)).all())
    return {**inputs, name: 1 - record if binary else record * 2 + 1}


def probe_retention(context: Context, op: str, params: dict, inputs: dict, cotangent, device: str, outcome) -> None:
    """SHARED-14 on this case: call again on other inputs, and note on ``outcome`` whether its result changed."""
    probe = context.backend.call(op, params, other_inputs(op, inputs), cotangent, device)
    outcome.retention_checked = outcome.retention_checked or probe.retention_checked
    if probe.overwritten:
        outcome.overwritten = "\n".join(filter(None, [outcome.overwritten, probe.overwritten]))


def note(context: Context, result: Verdict) -> None:
    state = context.current
    if state is None:
        return
    if result.legacy:
        state.legacy = sorted(set(state.legacy) | set(result.legacy), key=lambda c: int(c[3:]))
        return
    state.note(result.clause_statuses(), result.unattributed(), failed=bool(result.problems))
