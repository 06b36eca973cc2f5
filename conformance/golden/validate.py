"""Validate vector files against ``vectors/schema.json`` plus the checks a schema cannot express."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from ..ops import OPS
from ..tensors import decode
from ..vocabulary import SPEC
from .generate import VECTOR_DIR, case_id
from .load import VectorFileError, iter_cases, load

SCHEMA_PATH = VECTOR_DIR / "schema.json"


@dataclass(frozen=True)
class Problem:
    file: str
    case: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}: case {self.case or '(file header)'}: {self.message}"


def _case_of(document: dict, path: list) -> str | None:
    if len(path) >= 4 and path[0] == "groups" and path[2] == "cases":
        try:
            case = document["groups"][path[1]]["cases"][path[3]]
        except (IndexError, KeyError, TypeError):
            return None
        return case.get("id") if isinstance(case, dict) else None
    return None


def _tensors(value):
    if isinstance(value, dict):
        if "dtype" in value and "shape" in value:
            yield value
        else:
            for item in value.values():
                yield from _tensors(item)
    elif isinstance(value, list):
        for item in value:
            yield from _tensors(item)


MAX_TENSOR_ELEMENTS = 4_000_000  # a declared shape above this is refused before anything is allocated
MAX_FILE_ELEMENTS = 16_000_000


def _tensor_problem(tensor: dict) -> str | None:
    """Why an encoded tensor cannot be decoded within the bounds, or ``None``."""
    size = math.prod(tensor["shape"])
    if "nonzero" in tensor and any(not 0 <= pair[0] < size for pair in tensor["nonzero"]):
        return f"a nonzero index is outside 0..{size - 1}"
    if "tile" in tensor and size and (not tensor["tile"] or size % len(tensor["tile"])):
        return f"tile of {len(tensor['tile'])} values does not divide {size} elements"
    try:
        decode(tensor)
    except (ValueError, IndexError, RuntimeError, TypeError, OverflowError) as error:
        return f"bad tensor: {error}"
    return None


def _case_problems(op: str, params: dict, case: dict) -> list[str]:
    wanted = set(OPS[op].inputs)
    if set(case["inputs"]) != wanted:
        return [f"inputs are {sorted(case['inputs'])}; {op} takes {sorted(wanted)}"]
    if SPEC not in case["expected"]:
        return ["no expectation for the spec profile"]
    tensors = list(_tensors([params, case]))
    too_large = [p for t in tensors if (p := _size_problem(t))]
    return too_large or [problem for tensor in tensors if (problem := _tensor_problem(tensor))]


def _size_problem(tensor: dict) -> str | None:
    size = math.prod(tensor["shape"])
    if size > MAX_TENSOR_ELEMENTS:
        return f"declared shape {tensor['shape']} has {size} elements; the limit is {MAX_TENSOR_ELEMENTS}"
    return None


def _semantic_problems(path: Path, document: dict, ours: bool = True) -> list[Problem]:
    """Checks a schema cannot express; ``ours`` adds those only generated files meet (name, ids, count)."""
    problems = []
    if ours and document.get("op") != path.stem:
        problems.append(Problem(str(path), None, f"op {document.get('op')!r} does not match the file name"))
    seen, declared = set(), 0
    for params, case in iter_cases(document):
        identifier = case["id"]
        if identifier in seen:
            problems.append(Problem(str(path), identifier, "duplicate id"))
        seen.add(identifier)
        if ours and identifier != case_id(document["op"], params, case["inputs"]):
            problems.append(Problem(str(path), identifier, "id does not match the hash of its params and inputs"))
        case_problems = _case_problems(document["op"], params, case)
        problems += [Problem(str(path), identifier, p) for p in case_problems]
        declared += 0 if case_problems else sum(math.prod(t["shape"]) for t in _tensors([params, case]))
        if declared > MAX_FILE_ELEMENTS:
            message = f"the file declares over {MAX_FILE_ELEMENTS} tensor elements by this case; that is the limit"
            return [*problems, Problem(str(path), identifier, message)]
    if ours and document.get("number_of_cases") != len(seen):
        problems.append(
            Problem(str(path), None, f"number_of_cases is {document.get('number_of_cases')}, found {len(seen)}")
        )
    return problems


def validate_file(path: Path, schema: dict | None = None, ours: bool = True) -> list[Problem]:
    """Every problem of one file: unsafe YAML, schema violations, then semantic checks.

    ``ours=False`` is for a user's file (``--vectors``): any name, hand-edited ids allowed.
    """
    schema = schema or _schema_for(path)
    try:
        document = load(path)
    except VectorFileError as error:
        return [Problem(str(path), error.case, error.message)]
    validator = jsonschema.Draft202012Validator(schema)
    problems = [
        Problem(
            str(path),
            _case_of(document, list(error.absolute_path)),
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}",
        )
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]
    return problems or _semantic_problems(path, document, ours)


def _schema_for(path: Path) -> dict:
    """The ``schema.json`` beside a vector file, else the installed one."""
    beside = path.parent / "schema.json"
    return json.loads((beside if beside.exists() else SCHEMA_PATH).read_text())


def validate(paths: list[Path] | None = None) -> list[Problem]:
    """Validate files; a directory stands for its ``*.yaml`` files (default: the vectors folder)."""
    files = []
    for path in map(Path, paths or [VECTOR_DIR]):
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return [problem for path in files for problem in validate_file(path, _schema_for(path))]
