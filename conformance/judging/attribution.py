"""Which clauses each check verifies on a given case, so that a verdict credits or blames exactly those.

The judge (:mod:`conformance.judging.judge`) runs several checks on one call, each of one
*kind*:

=========  ============================================================
kind       what it checks
=========  ============================================================
accepts    the call returned instead of raising (a valid case)
error      the call raised the expected error, naming the argument
value      the result's numbers (and that a tensor came back)
dtype      the result's dtype
shape      the result's shape
gradient   the (surrogate) gradient: its dtype, shape and numbers
device     the result is on the device of the inputs
mutation   no input was modified in place
retention  the previous call's result did not change during this call
kernel     the backend's declared kernel ran (no silent fallback)
=========  ============================================================

:func:`clause_checks` says, for one case (op, parameters, inputs), which clauses the
case exercises and which kinds of check verify each: a weighted ``'mean'`` value is
SHARED-5's, a population-code clause belongs only to a case with a population code,
a label clause is verified by whether narrow labels are accepted, not by the value
they lead to. :func:`clause_statuses` turns the outcomes of the checks into a status
per clause: ``fail`` if a check of its kinds failed, ``pass`` if one ran, else ``skip``.
A failed check that no clause is verified by is *unattributed*; the report shows it
as a row of its own (:data:`UNATTRIBUTED`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import torch

from ..golden.compare import Problem

KINDS = ("accepts", "error", "value", "dtype", "shape", "gradient", "device", "mutation", "retention", "kernel")
UNATTRIBUTED = "UNATTRIBUTED"  # the report's row for a failure that no clause explains

# The formula clause of each op: what its value is. ``spike_time`` picks its own below.
FORMULA = {
    "ce_rate_loss": "CE-RATE-1",
    "ce_count_loss": "CE-COUNT-1",
    "ce_max_membrane_loss": "CE-MAX-1",
    "mse_count_loss": "MSE-COUNT-2",
    "mse_membrane_loss": "MSE-MEM-1",
    "mse_temporal_loss": "TMP-MSE-1",
    "ce_temporal_loss": "TMP-CE-1",
    "first_spike": "ST-FIRST-1",
    "multi_spike": "ST-MULTI-1",
    "tolerance": "ST-TOL-1",
}
# The clause whose shape 'none' returns.
UNREDUCED_SHAPE = {
    "ce_rate_loss": "CE-RATE-3",
    "ce_count_loss": "CE-COUNT-3",
    "ce_max_membrane_loss": "CE-MAX-3",
    "mse_count_loss": "MSE-COUNT-4",
    "mse_membrane_loss": "MSE-MEM-4",
    "mse_temporal_loss": "TMP-MSE-3",
}
# The clause of each op's own reductions, beside SHARED-5.
OWN_REDUCTION_CLAUSE = {
    "mse_count_loss": "MSE-COUNT-4",
    "mse_membrane_loss": "MSE-MEM-4",
    "mse_temporal_loss": "TMP-MSE-3",
    "ce_temporal_loss": "TMP-CE-2",
}
POPULATION = {"ce_rate_loss": "CE-RATE-2", "ce_count_loss": "CE-COUNT-2", "mse_count_loss": "MSE-COUNT-3"}
WEIGHT = {"mse_membrane_loss": "MSE-MEM-3", "mse_temporal_loss": "TMP-MSE-2", "ce_temporal_loss": "TMP-CE-2"}
RATE_AND_MEMBRANE = ("ce_rate_loss", "ce_count_loss", "ce_max_membrane_loss", "mse_count_loss", "mse_membrane_loss")
ESTIMATOR_RECORDS = ("first_spike", "multi_spike")
NOT_JUDGED_FOR_LB = frozenset({"device", "kernel", "retention"})
HALF = (torch.float16, torch.bfloat16)


def _label_dtype_is_narrow(inputs: Mapping) -> bool:
    labels = inputs.get("targets")
    return isinstance(labels, torch.Tensor) and not labels.is_floating_point() and labels.dtype != torch.int64


def _record(op: str, inputs: Mapping) -> torch.Tensor | None:
    from ..ops import OPS

    record = inputs.get(OPS[op].differentiable)
    return record if isinstance(record, torch.Tensor) else None


def _gradient_clauses(op: str, params: Mapping) -> list[str]:
    if op == "ce_max_membrane_loss":
        return ["CE-MAX-2"]  # the gradient of the maximum: what ce_max_membrane_loss's backward states
    if op in RATE_AND_MEMBRANE:
        return ["SHARED-13"]
    if op == "multi_spike" or (op == "spike_time" and params.get("multi_spike")):
        return ["ST-MULTI-2"]
    if op == "tolerance":
        return ["ST-TOL-2"]
    return ["ST-FIRST-2"]  # first_spike, spike_time with one spike, and the temporal losses through FirstSpike


def _tolerance_clause(tolerance) -> str:
    value = float(tolerance) if not isinstance(tolerance, torch.Tensor) else float(tolerance.reshape(-1)[0])
    return "ST-TOL-1" if value > 0 else "ST-TOL-3"


def _negative(value) -> bool:
    if isinstance(value, torch.Tensor):
        return value.numel() > 0 and bool((value < 0).any())
    if isinstance(value, (list, tuple)):
        return any(_negative(v) for v in value)
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0


def _spike_time_value_clauses(params: Mapping, inputs: Mapping) -> list[str]:
    multi = bool(params.get("multi_spike"))
    clauses = ["ST-MULTI-1" if multi else "ST-FIRST-1"]
    if params.get("target_is_time"):
        clauses.append("ST-TGT-3")
        negative = _negative(inputs.get("targets"))
    else:
        clauses.append("ST-TGT-2" if multi else "ST-TGT-1")
        negative = _negative(params.get("on_target")) or _negative(params.get("off_target"))
    clauses += ["ST-TGT-4"] if negative else []
    return clauses + ([_tolerance_clause(params["tolerance"])] if "tolerance" in params else [])  # one it sets


def _value_clauses(op: str, params: Mapping, inputs: Mapping) -> list[str]:
    """The clauses whose statement is the case's value."""
    if op == "spike_time":
        return _spike_time_value_clauses(params, inputs)
    if op == "tolerance":
        return [_tolerance_clause(params.get("tolerance", 1))]
    clauses = [FORMULA[op]]
    if op == "mse_count_loss":
        clauses.append("MSE-COUNT-1")  # the target counts
    if op == "mse_membrane_loss":
        clauses.append("SHARED-10")
        clauses += ["MSE-MEM-2"] if params.get("time_var_targets") else []
    if op == "mse_temporal_loss":
        clauses.append("ST-TGT-1")
        negative = _negative(params.get("on_target")) or _negative(params.get("off_target"))
        clauses += ["ST-TGT-4"] if negative else []
        clauses += [_tolerance_clause(params["tolerance"])] if "tolerance" in params else []  # a tolerance it sets
    if params.get("population_code"):
        clauses += ["SHARED-9", *([POPULATION[op]] if op in POPULATION else [])]
    return clauses


def _reduction_checks(op: str, params: Mapping) -> dict[str, set[str]]:
    """Reductions: 'mean' and 'sum' are values and 0-d shapes (SHARED-5); 'none' is a shape."""
    if op not in (*RATE_AND_MEMBRANE, "mse_temporal_loss", "ce_temporal_loss"):
        return {}
    reduction = params.get("reduction", "mean")
    weighted = params.get("weight") is not None
    checks: dict[str, set[str]] = {}
    if reduction in ("mean", "sum"):
        if op != "ce_temporal_loss":
            checks["SHARED-5"] = {"value", "shape"}
        if op in OWN_REDUCTION_CLAUSE:
            checks.setdefault(OWN_REDUCTION_CLAUSE[op], set()).update({"value", "shape"})
    elif reduction == "none":
        if op != "ce_temporal_loss":
            checks["SHARED-5"] = {"shape"}
        if op in UNREDUCED_SHAPE:
            checks.setdefault(UNREDUCED_SHAPE[op], set()).add("shape")
        if op == "ce_temporal_loss":
            checks["TMP-CE-2"] = {"shape"}
    if weighted:
        # the weight scales the unreduced loss (SHARED-4); a weighted 'mean' or 'sum' is SHARED-5's value
        clause = WEIGHT.get(op, "SHARED-4")
        if reduction == "none" or op == "ce_temporal_loss":
            checks.setdefault(clause, set()).add("value")
        else:
            checks.setdefault(clause, set()).add("accepts")
    return checks


def _domain_clauses(op: str, params: Mapping, inputs: Mapping) -> list[str]:
    """Clauses about what a call accepts that this case exercises (narrow labels, empty batch, odd ranks)."""
    clauses = []
    if _label_dtype_is_narrow(inputs) and not params.get("target_is_time"):
        clauses.append("SHARED-2")
    record = _record(op, inputs)
    if record is not None and op in ESTIMATOR_RECORDS and record.dim() != 3:
        clauses.append("ST-1")
    labels = inputs.get("targets")
    if isinstance(labels, torch.Tensor) and labels.dim() >= 1 and labels.shape[0] == 0 and op in FORMULA:
        clauses.append("SHARED-11")
    return clauses


def clause_checks(op: str, params: Mapping, inputs: Mapping, expects_error: bool = False) -> dict[str, frozenset]:
    """``{clause: kinds of check that verify it}`` for the clauses this case exercises.

    ``params`` and ``inputs`` are the case's (decoded) constructor parameters and call inputs.
    Where the case is to raise, the error check verifies its value and domain clauses, and SHARED-12.
    """
    checks: dict[str, set[str]] = {}

    def add(clause: str, *kinds: str) -> None:
        checks.setdefault(clause, set()).update(kinds)

    if expects_error:
        for clause in (*_value_clauses(op, params, inputs), *_domain_clauses(op, params, inputs)):
            add(clause, "error")
        add("SHARED-12", "error")
        add("SHARED-8", "mutation")
        add("SHARED-14", "retention")
        return {clause: frozenset(kinds) for clause, kinds in checks.items()}
    domain = _domain_clauses(op, params, inputs)
    for clause in _value_clauses(op, params, inputs):  # a raise is the value clauses' fault only on a plain case
        add(clause, "value", *([] if domain else ["accepts"]))
    for clause in domain:
        add(clause, "accepts", *(["value"] if clause == "SHARED-11" else []))
    for clause, kinds in _reduction_checks(op, params).items():
        add(clause, *kinds)
    record = _record(op, inputs)
    add("SHARED-6", "dtype", *(["value"] if record is not None and record.dtype in HALF else []))
    for clause in _gradient_clauses(op, params):
        add(clause, "gradient")
    add("SHARED-7", "device")
    add("SHARED-8", "mutation")
    add("SHARED-14", "retention")
    return {clause: frozenset(kinds) for clause, kinds in checks.items()}


# Kinds for a clause a vector names that the case itself does not show (a listed clause the rules above
# do not derive, say an argument clause of an invalid case): the kind of check its statement is about.
LISTED_KIND = {
    "SHARED-6": "dtype",
    "SHARED-7": "device",
    "SHARED-8": "mutation",
    "SHARED-13": "gradient",
    "SHARED-14": "retention",
    "CE-MAX-2": "gradient",
    "ST-FIRST-2": "gradient",
    "ST-MULTI-2": "gradient",
    "ST-TOL-2": "gradient",
    "SHARED-12": "error",
}


DERIVED = frozenset(
    {
        *FORMULA.values(),
        *UNREDUCED_SHAPE.values(),
        *OWN_REDUCTION_CLAUSE.values(),
        *POPULATION.values(),
        *WEIGHT.values(),
        *("SHARED-2", "SHARED-4", "SHARED-5", "SHARED-6", "SHARED-7", "SHARED-8", "SHARED-9", "SHARED-10"),
        "SHARED-14",
        *("SHARED-11", "SHARED-13", "CE-MAX-2", "MSE-COUNT-1", "MSE-MEM-2", "ST-1", "ST-FIRST-2", "ST-MULTI-2"),
        *("ST-TOL-2", "ST-TOL-3", "ST-TGT-1", "ST-TGT-2", "ST-TGT-3", "ST-TGT-4"),
    }
)  # the clauses whose part in a valid case :func:`clause_checks` decides from the case itself


def listed_checks(clauses: Iterable[str], expects_error: bool) -> dict[str, frozenset]:
    """Kinds for clauses named by a vector or a test: their statement's kind; on an invalid case, the error.

    On a valid case a clause in :data:`DERIVED` is left to :func:`clause_checks`, which knows whether the
    case exercises it (a vector that names SHARED-2 for its int32 labels does not make a wrong value
    a label failure).
    """
    result = {}
    for clause in clauses:
        if not expects_error and clause in DERIVED:
            continue
        kind = LISTED_KIND.get(clause, "value")
        if expects_error and kind in ("value", "accepts"):
            kind = "error"
        result[clause] = frozenset({kind, "accepts"} if kind == "value" else {kind})
    return result


def legacy_checks(lb_ids: Iterable[str]) -> dict[str, frozenset]:
    """Under ``snntorch-1.0`` a case's LB ids are what it checks: every check but device and kernel."""
    return {lb: frozenset(set(KINDS) - NOT_JUDGED_FOR_LB) for lb in lb_ids}


def merged(*maps: Mapping[str, frozenset]) -> dict[str, frozenset]:
    result: dict[str, frozenset] = {}
    for mapping in maps:
        for clause, kinds in mapping.items():
            result[clause] = result.get(clause, frozenset()) | kinds
    return result


def checked_from(problems: Iterable[Problem], ran: Iterable[str]) -> dict[str, str]:
    """``{kind: pass|fail}`` for every kind of check that ran."""
    failed = {p.kind for p in problems}
    return {kind: ("fail" if kind in failed else "pass") for kind in set(ran) | failed}


def clause_statuses(checked: Mapping[str, str], checks: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Each clause's status: ``fail`` if a check of its kinds failed, ``pass`` if one ran, else ``skip``."""
    result = {}
    for clause, kinds in checks.items():
        outcomes = [checked[kind] for kind in kinds if kind in checked]
        result[clause] = "fail" if "fail" in outcomes else "pass" if outcomes else "skip"
    return result


def unattributed(checked: Mapping[str, str], checks: Mapping[str, Iterable[str]]) -> list[str]:
    """The failed kinds of check that verify none of the clauses (the report's unattributed row)."""
    covered = {kind for kinds in checks.values() for kind in kinds}
    return sorted(kind for kind, status in checked.items() if status == "fail" and kind not in covered)
