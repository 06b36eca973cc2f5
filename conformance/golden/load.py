"""Reading vector and expectations files: bounded safe YAML, and a case index that error messages can cite.

Files come from users (``--vectors``, ``--expectations``) and may be hostile. :func:`safe_yaml`
refuses a file larger than :data:`MAX_FILE_BYTES` before parsing it, composes the YAML
node graph with the safe loader (libyaml's when present), counts the nodes the document
would have with every alias expanded (linear time, memoised per node), and refuses it
above :data:`MAX_EXPANDED_NODES`, so an alias bomb is rejected before anything walks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_EXPANDED_NODES = 4_000_000
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ID_LINE = re.compile(r"^\s*- id: (\S+)\s*$")


class VectorFileError(Exception):
    """A vector file that cannot be read; it names the file and, where known, the case."""

    def __init__(self, path: Path, case: str | None, message: str) -> None:
        super().__init__(f"{path}: case {case or '(before the first case)'}: {message}")
        self.path, self.case, self.message = path, case, message


def case_at_line(text: str, line: int) -> str | None:
    """The id of the case whose text contains ``line`` (0-based), if any."""
    current = None
    for number, content in enumerate(text.splitlines()):
        if number > line:
            break
        match = ID_LINE.match(content)
        if match:
            current = match.group(1)
    return current


class UnsafeYamlError(Exception):
    """A file over the size bound, or whose aliases would expand beyond the node bound."""


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has with every alias expanded; stops counting past the bound."""
    sizes: dict[int, int] = {}
    order, stack = [], [root]
    while stack:  # post-order without recursion: a deep document must not blow the stack
        node = stack.pop()
        if id(node) in sizes:
            continue
        sizes[id(node)] = -1
        order.append(node)
        stack.extend(_children(node))
    for node in reversed(order):
        total = 1 + sum(sizes[id(child)] for child in _children(node))
        sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def safe_yaml(path: Path, what: str = "file", text: str | None = None):
    """The document in ``path`` (or ``text``, already read from it), within the size and expansion bounds,
    safe tags only.
    """
    path = Path(path)
    size = path.stat().st_size if text is None else len(text.encode())
    if size > MAX_FILE_BYTES:
        raise UnsafeYamlError(f"the {what} is {size} bytes, above the limit of {MAX_FILE_BYTES} bytes")
    if text is None:
        text = path.read_text()
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        expanded = _expanded_size(node)
        if expanded > MAX_EXPANDED_NODES:
            raise UnsafeYamlError(
                f"the {what}'s aliases expand to more than {MAX_EXPANDED_NODES} YAML nodes (an alias bomb?)"
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load(path: Path, text: str | None = None) -> dict:
    """Parse one vector file (or its ``text``, already read), bounded and with the safe loader (no ``!!python``
    tags, no objects).
    """
    path = Path(path)
    try:
        return safe_yaml(path, "vector file", text)
    except UnsafeYamlError as error:
        raise VectorFileError(path, None, str(error)) from error
    except UnicodeDecodeError as error:
        raise VectorFileError(path, None, f"not UTF-8 text: {error}") from error
    except OSError as error:
        raise VectorFileError(path, None, f"cannot be read: {error}") from error
    except yaml.YAMLError as error:
        text = path.read_text() if text is None else text
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        case = case_at_line(text, mark.line) if mark else None
        where = f"line {mark.line + 1}" if mark else "unknown line"
        reason = getattr(error, "problem", None) or str(error)
        raise VectorFileError(path, case, f"{where}: not safe YAML: {reason}") from error


def iter_cases(document: dict) -> Iterator[tuple[dict, dict]]:
    """``(group params, case)`` for every case of a document."""
    for group in document.get("groups", []):
        for case in group.get("cases", []):
            yield group.get("params", {}), case


def expectation_for(expected: dict, profile: str) -> dict | None:
    """The expectation of ``profile``, following ``same_as``; ``None`` if the case has none for it."""
    outcome = expected.get(profile)
    if outcome is not None and "same_as" in outcome:
        return expected[outcome["same_as"]]
    return outcome
