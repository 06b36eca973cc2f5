"""Turn the golden cases into vector documents: run the reference under both profiles.

``build(op)`` returns the document for one op (a plain dict, ready for YAML);
``write(directory)`` regenerates every file atomically. Output is deterministic:
the same code, torch and numpy give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import resources
from pathlib import Path

import numpy
import torch
import yaml

import reference
import reference.compat
from reference.compat import legacy as legacy_behaviours

from .. import __version__, ops
from ..files import write_atomic
from ..tensors import FlowList, decode, encode, is_encoded_tensor
from ..vocabulary import DEFAULT_TOLERANCE, FLAGS, SCHEMA_ID, SCHEMA_VERSION, SNNTORCH, SPEC
from . import cases as golden_cases
from .compare import difference


def _vector_dir() -> Path:
    """``vectors/`` of a source checkout, else the installed copy (``conformance.vectors``)."""
    source = Path(__file__).resolve().parents[2] / "vectors"
    if (source / "schema.json").exists():
        return source
    return Path(str(resources.files("conformance.vectors")))


VECTOR_DIR = _vector_dir()


class GenerationError(Exception):
    """A case that the generator refuses to write (inconsistent tags, unnamed argument in an error...)."""


def encode_value(value):
    """Constructor parameters as plain data: tensors become tensor mappings."""
    if isinstance(value, torch.Tensor):
        return encode(value)
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    return value


def decode_params(params: dict) -> dict:
    return {name: decode_value(value) for name, value in params.items()}


def decode_value(value):
    if is_encoded_tensor(value):
        return decode(value)
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


def case_id(op: str, params: dict, inputs: dict) -> str:
    """A content-derived id: the op and a hash of its canonical parameters and inputs."""
    canonical = json.dumps({"op": op, "params": params, "inputs": inputs}, sort_keys=True, separators=(",", ":"))
    return f"{op}-{hashlib.sha256(canonical.encode()).hexdigest()[:12]}"


def cotangent_for(output: torch.Tensor, seed: str) -> torch.Tensor:
    """A seeded cotangent of multiples of 1/8 in [-2, 2], exact in every float dtype, never all zero."""
    generator = torch.Generator().manual_seed(int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16))
    cotangent = torch.randint(-16, 17, tuple(output.shape), generator=generator) / 8
    if cotangent.numel() and not bool(cotangent.any()):  # a zero cotangent would make the gradient check vacuous
        cotangent = torch.full_like(cotangent, 1.25)
    return cotangent.to(output.dtype)


def run(module, op: str, params: dict, inputs: dict, seed: str) -> dict:
    """What ``module`` does on one case: a valid value and VJP, or the error it raises."""
    spec = ops.OPS[op]
    fresh = {name: decode(encoded) for name, encoded in inputs.items()}
    record = fresh[spec.differentiable]
    if record.is_floating_point():
        record.requires_grad_(True)
    stage = "call"
    try:
        if op in ops.LOSSES:  # build the loss first, so that constructor errors are told apart
            stage = "construction"
            loss = getattr(module, op)(**decode_params(params))
            stage = "call"
            output = loss(*(fresh[name] for name in spec.inputs))
        else:
            output = ops.call(module, op, decode_params(params), fresh)
        result = {"result": "valid", "value": encode(output.detach())}
        if output.requires_grad:
            cotangent = cotangent_for(output, seed)
            (grad,) = torch.autograd.grad(output, record, cotangent, allow_unused=True)
            grad = torch.zeros_like(record) if grad is None else grad
            result["grad"] = {"cotangent": encode(cotangent), spec.differentiable: encode(grad)}
        return result
    except Exception as error:  # every failure of the reference is an outcome to record
        classes = [cls.__name__ for cls in type(error).__mro__]
        return {
            "result": "invalid",
            "error": type(error).__name__,
            "when": stage,
            "message": str(error),
            "classes": classes,
        }


def _mentioned_argument(message: str, case: golden_cases.Case, strict: bool) -> str:
    """SHARED-12: the argument an error message names ("" for a counterexample whose message names none)."""
    candidates = [*case.params, *case.inputs, "num_classes", "weight", "targets", "on_target", "spk_count"]
    for name in candidates:
        if name in message:
            return name
    if strict:
        raise GenerationError(f"{case.op}: error message names no argument: {message!r}")
    return ""


def _error_satisfies(raised: dict, expected: dict) -> bool:
    """Whether an error recorded by :func:`run` meets an ``invalid`` expectation (class and named argument)."""
    return expected["error"] in raised["classes"] and expected["mentions"] in raised["message"]


def _close(a: dict, b: dict, tolerance: dict | None) -> bool:
    return difference("value", decode(a), b, tolerance) is None


def profiles_differ(spec: dict, legacy: dict, tolerance: dict | None) -> bool:
    """Whether snnTorch 1.0.0's behaviour fails the spec expectation (or the reverse)."""
    if spec["result"] == "invalid":
        return legacy["result"] == "valid"
    if legacy["result"] != "valid":
        return True
    if not _close(spec["value"], legacy["value"], tolerance):
        return True
    grads = spec.get("grad"), legacy.get("grad")
    if (grads[0] is None) != (grads[1] is None):
        return True
    if grads[0] is None:
        return False
    name = next(k for k in grads[0] if k != "cotangent")
    return not _close(grads[0][name], grads[1][name], tolerance)


def build_case(case: golden_cases.Case, strict: bool = True) -> dict:
    params = {k: encode_value(v) for k, v in case.params.items()}
    inputs = {k: encode(v) for k, v in case.inputs.items()}
    identifier = case_id(case.op, params, inputs)
    unknown = sorted(set(case.flags) - set(FLAGS))
    if unknown:
        raise GenerationError(f"{identifier}: unknown flags {unknown}")
    spec = run(reference, case.op, params, inputs, identifier)
    if spec["result"] == "invalid":
        spec = {
            "result": "invalid",
            "error": spec["error"],
            "when": spec["when"],
            "mentions": _mentioned_argument(spec["message"], case, strict),
        }
    if strict and ("invalid" in case.flags) != (spec["result"] == "invalid"):
        raise GenerationError(f"{identifier}: flag 'invalid' disagrees with the spec outcome {spec}")
    expected = {SPEC: spec}
    error_differs = False
    with legacy_behaviours.recording() as noted:
        legacy = run(reference.compat, case.op, params, inputs, identifier)
    if legacy["result"] == "invalid":
        if spec["result"] == "invalid" and not _error_satisfies(legacy, spec):
            error_differs = True
        legacy = {"result": "acceptable", "error": legacy["error"]}
    named = {c for c in case.clauses if c.startswith("LB-")}
    if not strict:  # a drawn case names the legacy behaviours that snnTorch's code path took
        named |= noted
    may_modify = case.may_modify or (("targets",) if not strict and "LB-10" in noted else ())
    if may_modify:
        legacy["may_modify"] = list(may_modify)
    identical = json.dumps(legacy, sort_keys=True) == json.dumps(spec, sort_keys=True)  # NaN-aware
    expected[SNNTORCH] = {"same_as": SPEC} if identical else legacy
    differ = profiles_differ(spec, legacy, case.tolerance) or bool(may_modify)
    legacy_ids = sorted(named) if differ else []
    if error_differs:  # LB-17: upstream rejects the input too, with another error class or message
        legacy_ids.append("LB-17")
    if strict and differ and not legacy_ids:
        raise GenerationError(f"{identifier} ({case.comment}): the profiles differ but the case names no LB clause")
    document = {
        "id": identifier,
        "comment": case.comment,
        "clauses": sorted({c for c in case.clauses if not c.startswith("LB-")}),
        "legacy": sorted(set(legacy_ids), key=lambda c: int(c[3:])),
        "flags": sorted(case.flags),
        "inputs": inputs,
        "expected": expected,
    }
    if case.tolerance:
        document["tolerance"] = case.tolerance
    return document, params


def provenance() -> dict:
    return {
        "package": "snnloss-conformance",
        "version": __version__,
        "torch": str(torch.__version__),
        "numpy": numpy.__version__,
        "python": platform.python_version(),
    }


def build(op: str, cases: list[golden_cases.Case] | None = None, strict: bool = True) -> dict:
    """The vector document of one op (of ``cases``, by default its golden cases)."""
    groups: dict[str, dict] = {}
    seen = set()
    for case in golden_cases.ALL[op]() if cases is None else cases:
        document, params = build_case(case, strict)
        if document["id"] in seen:
            raise GenerationError(f"duplicate case {document['id']} ({case.comment})")
        seen.add(document["id"])
        key = json.dumps(params, sort_keys=True)
        groups.setdefault(key, {"params": params, "cases": []})["cases"].append(document)
    used_flags = sorted({f for g in groups.values() for c in g["cases"] for f in c["flags"]})
    return {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "spec_version": reference.SPEC_VERSION,
        "op": op,
        "generator": provenance(),
        "number_of_cases": len(seen),
        "default_tolerance": DEFAULT_TOLERANCE,
        "notes": {flag: FLAGS[flag] for flag in used_flags},
        "groups": list(groups.values()),
    }


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors and aliases: every case stands on its own."""

    def ignore_aliases(self, data) -> bool:
        return True


_Dumper.add_representer(
    FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def dump(document: dict) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=90, default_flow_style=None, allow_unicode=True)


def write(directory: Path = VECTOR_DIR, ops_to_write: list[str] | None = None) -> list[Path]:
    """Regenerate vector files, each written to a temporary file first and then renamed into place."""
    return [write_atomic(directory / f"{op}.yaml", dump(build(op))) for op in ops_to_write or list(golden_cases.ALL)]
