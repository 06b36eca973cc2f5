"""The vectors manifest: the shipped folder matches it, and any change, loss or addition is named."""

from __future__ import annotations

import shutil

import pytest

from conformance.golden.generate import VECTOR_DIR
from conformance.golden.manifest import MANIFEST_NAME, ManifestError, manifest_text, verified_texts, write_manifest


@pytest.fixture
def folder(tmp_path):
    copy = tmp_path / "vectors"
    shutil.copytree(VECTOR_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_shipped_folder_matches_its_manifest():
    assert (VECTOR_DIR / MANIFEST_NAME).read_text() == manifest_text(VECTOR_DIR)
    texts = verified_texts(VECTOR_DIR)
    assert "ce_count_loss.yaml" in texts and "schema.json" in texts


def test_byte_code_caches_are_not_data(folder):
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"\0")
    assert verified_texts(folder)


@pytest.mark.parametrize(
    ("tamper", "named", "why"),
    [
        (lambda f: (f / "extra.yaml").write_text("op: x\n"), "extra.yaml", "not one the project shipped"),
        (lambda f: (f / "tolerance.yaml").unlink(), "tolerance.yaml", "missing"),
        (
            lambda f: (f / "first_spike.yaml").write_text((f / "first_spike.yaml").read_text() + "# edit\n"),
            "first_spike.yaml",
            "differs",
        ),
        (lambda f: (f / "schema.json").write_text("{}"), "schema.json", "differs"),
        (lambda f: (f / MANIFEST_NAME).write_text("not a manifest\n"), MANIFEST_NAME, "line 1"),
        (lambda f: (f / MANIFEST_NAME).unlink(), MANIFEST_NAME, "cannot be read"),
    ],
    ids=["extra", "missing", "changed", "schema", "malformed manifest", "no manifest"],
)
def test_a_changed_missing_or_extra_file_is_named(folder, tamper, named, why):
    tamper(folder)
    with pytest.raises(ManifestError) as error:
        verified_texts(folder)
    assert named in str(error.value) and why in str(error.value)


def test_writing_the_manifest_accepts_the_folder_again(folder):
    (folder / "extra.yaml").write_text("op: x\n")
    write_manifest(folder)
    assert "extra.yaml" in verified_texts(folder)
