"""The manifest of the shipped vectors folder: the SHA-256 of every file, so the judge reads what was shipped.

``vectors/MANIFEST.sha256`` lists each file of the folder in ``sha256sum`` format
(``<hex digest>  <name>``; ``sha256sum -c MANIFEST.sha256`` checks it by hand). Every conformance
run verifies the folder before the first backend call (:func:`verified_texts`): a changed, missing
or extra file is a usage error that names it. A backend that writes into the installed folder (a
new ``.yaml`` file would otherwise be loaded by every later run) is caught by the next run.

The files are read once: the bytes that are hashed are the bytes that are parsed. Python's byte-code
cache (``__pycache__``) is not data and is not listed.

``python -m conformance.golden generate`` rewrites the manifest with the vectors; the drift check
(``check``) and the project's tests verify it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..files import write_atomic
from .generate import VECTOR_DIR

MANIFEST_NAME = "MANIFEST.sha256"
NOT_DATA = frozenset({"__pycache__", MANIFEST_NAME})


class ManifestError(Exception):
    """The vectors folder is not what the project shipped; the message names the file."""


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def listed_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).iterdir() if p.name not in NOT_DATA)


def manifest_text(directory: Path = VECTOR_DIR) -> str:
    return "".join(f"{_digest(path.read_bytes())}  {path.name}\n" for path in listed_files(directory))


def write_manifest(directory: Path = VECTOR_DIR) -> Path:
    return write_atomic(Path(directory) / MANIFEST_NAME, manifest_text(directory))


def read_manifest(directory: Path = VECTOR_DIR) -> dict[str, str]:
    """``{file name: hex digest}`` from the manifest; :class:`ManifestError` if it is missing or malformed."""
    path = Path(directory) / MANIFEST_NAME
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"{path}: the vectors manifest cannot be read ({error})") from None
    entries = {}
    for number, line in enumerate(text.splitlines(), 1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64 or not name or "/" in name or name in entries:
            raise ManifestError(f"{path}: line {number} is not '<sha256>  <file name>': {line[:100]!r}")
        entries[name] = digest
    return entries


def verified_texts(directory: Path = VECTOR_DIR) -> dict[str, str]:
    """Every listed file's text, each checked against the manifest; :class:`ManifestError` naming the first
    changed, missing or extra file.
    """
    directory = Path(directory)
    expected = read_manifest(directory)
    present = {path.name: path for path in listed_files(directory)}
    extra = sorted(set(present) - set(expected))
    if extra:
        raise ManifestError(
            f"{directory / extra[0]}: this file is not one the project shipped (not in {MANIFEST_NAME}); "
            "remove it, or reinstall the package"
        )
    texts = {}
    for name, digest in expected.items():
        path = directory / name
        try:
            raw = path.read_bytes()
        except OSError:
            raise ManifestError(f"{path}: a shipped vector file is missing; reinstall the package") from None
        if _digest(raw) != digest:
            raise ManifestError(
                f"{path}: this file differs from the one the project shipped (SHA-256 does not match "
                f"{MANIFEST_NAME}); reinstall the package, or regenerate with python -m conformance.golden generate"
            )
        texts[name] = raw.decode("utf-8", errors="replace")
    return texts
