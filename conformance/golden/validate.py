"""Validate vector files against ``vectors/schema.json`` plus the checks a schema cannot express."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from ..tensors import decode
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


def _semantic_problems(path: Path, document: dict) -> list[Problem]:
    problems = []
    if document.get("op") != path.stem:
        problems.append(Problem(str(path), None, f"op {document.get('op')!r} does not match the file name"))
    seen = set()
    for params, case in iter_cases(document):
        identifier = case["id"]
        if identifier in seen:
            problems.append(Problem(str(path), identifier, "duplicate id"))
        seen.add(identifier)
        if identifier != case_id(document["op"], params, case["inputs"]):
            problems.append(Problem(str(path), identifier, "id does not match the hash of its params and inputs"))
        for tensor in _tensors(case):
            try:
                decode(tensor)
            except (ValueError, IndexError, RuntimeError) as error:
                problems.append(Problem(str(path), identifier, f"bad tensor: {error}"))
    if document.get("number_of_cases") != len(seen):
        problems.append(
            Problem(str(path), None, f"number_of_cases is {document.get('number_of_cases')}, found {len(seen)}")
        )
    return problems


def validate_file(path: Path, schema: dict | None = None) -> list[Problem]:
    """Every problem of one file: unsafe YAML, schema violations, then semantic checks."""
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
    return problems or _semantic_problems(path, document)


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
