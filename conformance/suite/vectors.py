"""Golden vectors as test parameters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..golden.generate import VECTOR_DIR, decode_params
from ..golden.load import iter_cases, load
from ..ops import OPS
from ..tensors import decode


@dataclass(frozen=True)
class Vector:
    file: str
    op: str
    params: dict
    case: dict

    @property
    def dtype(self) -> str:
        return self.case["inputs"][OPS[self.op].differentiable]["dtype"]

    def inputs(self, device: str) -> dict:
        return {name: decode(encoded, device) for name, encoded in self.case["inputs"].items()}

    def decoded_params(self, device: str) -> dict:
        params = decode_params(self.params)
        return {k: v.to(device) if hasattr(v, "to") else v for k, v in params.items()}

    def __repr__(self) -> str:
        return self.case["id"]


def vector_files(extra: list[str]) -> list[Path]:
    files = sorted(VECTOR_DIR.glob("*.yaml"))
    for entry in map(Path, extra):
        files += sorted(entry.glob("*.yaml")) if entry.is_dir() else [entry]
    return files


class VectorsError(Exception):
    """A ``--vectors`` file or folder that cannot be used; the message names the file and the case."""


def check_extra_vectors(extra: list[str]) -> list[Path]:
    """Every user-given vector file, validated (bounds, schema, meaning) before any backend call."""
    from ..golden.validate import validate_file

    files = []
    for entry in map(Path, extra):
        if entry.is_dir():
            found = sorted(entry.glob("*.yaml"))
            if not found:
                raise VectorsError(f"--vectors {entry}: the folder has no *.yaml files")
            files += found
        elif entry.is_file():
            files.append(entry)
        else:
            raise VectorsError(f"--vectors {entry}: no such file or folder")
    for path in files:
        problems = validate_file(path, ours=False)
        if problems:
            shown = "\n  ".join(str(p) for p in problems[:10])
            more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
            raise VectorsError(f"--vectors: {path} is not a usable vector file:\n  {shown}{more}")
    return files


def load_vectors(extra: list[str], dtypes: list[str] | None) -> list[Vector]:
    """The built-in vectors (verified against the shipped manifest) and the (already checked) extra files."""
    from ..golden.manifest import ManifestError, verified_texts

    try:
        shipped = verified_texts(VECTOR_DIR)
    except ManifestError as error:
        raise VectorsError(f"the built-in vectors: {error}") from None
    vectors = []
    for path in vector_files(extra):
        builtin = path.parent == VECTOR_DIR
        document = load(path, shipped[path.name] if builtin else None)
        for params, case in iter_cases(document):
            vector = Vector(str(path), document["op"], params, case)
            if dtypes is None or vector.dtype in dtypes:
                vectors.append(vector)
    return vectors
