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


def load_vectors(extra: list[str], dtypes: list[str] | None) -> list[Vector]:
    vectors = []
    for path in vector_files(extra):
        document = load(path)
        for params, case in iter_cases(document):
            vector = Vector(str(path), document["op"], params, case)
            if dtypes is None or vector.dtype in dtypes:
                vectors.append(vector)
    return vectors
