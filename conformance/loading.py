"""Turn ``--backend NAME`` into a :class:`~conformance.backend.Backend`.

``NAME`` is tried, in order, as: an entry point of the group
``snnloss_conformance.backends``; a path to a ``.py`` file (optionally ``path.py:attr``);
``module:attr``; a dotted module. An attribute or module may be a ``Backend``
instance or class, a function returning one, or a module with snnTorch's loss API.
A module may also export ``conformance_backend`` (any of those) to describe itself.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from importlib import metadata
from pathlib import Path

from .backend import Backend, TorchModuleBackend
from .ops import API_NAMES

ENTRY_POINT_GROUP = "snnloss_conformance.backends"


class BackendError(Exception):
    """The backend could not be imported or is not a backend; the message says which and why."""


def mirrors_snntorch_api(module) -> bool:
    return any(hasattr(module, name) for name in API_NAMES)


def as_backend(obj, name: str) -> Backend:
    """Whatever a backend reference points at, as a :class:`Backend`."""
    if isinstance(obj, Backend):
        backend = obj
    elif inspect.isclass(obj) and issubclass(obj, Backend):
        backend = obj()
    elif inspect.ismodule(obj):
        described = getattr(obj, "conformance_backend", None)
        if described is not None:
            return as_backend(described, name)
        if not mirrors_snntorch_api(obj):
            raise BackendError(f"backend {name!r}: module {obj.__name__} has none of snnTorch's loss names {API_NAMES}")
        backend = TorchModuleBackend(obj, name=name)
    elif callable(obj):
        return as_backend(obj(), name)
    else:
        raise BackendError(f"backend {name!r}: {obj!r} is neither a Backend, a factory, nor a module")
    if getattr(backend, "name", "backend") == "backend":
        backend.name = name
    return backend


def _entry_point(name: str):
    return next((e for e in metadata.entry_points(group=ENTRY_POINT_GROUP) if e.name == name), None)


def _from_entry_point(name: str):
    entry = _entry_point(name)
    return None if entry is None else entry.load()


def _from_file(path: Path, attribute: str | None):
    folder = str(path.resolve().parent)
    if folder not in sys.path:  # the file may import the modules beside it, as a script would
        sys.path.insert(0, folder)
    module_name = f"snnloss_backend_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return getattr(module, attribute) if attribute else module


def _builtin(name: str):
    from .builtin_backends import BUILT_IN

    return BUILT_IN.get(name)


def _load(name: str):
    found = _from_entry_point(name) or _builtin(name)
    if found is not None:
        return found
    target, _, attribute = name.partition(":")
    if target.endswith(".py"):
        path = Path(target)
        if not path.exists():
            raise BackendError(f"backend {name!r}: no such file {path}")
        return _from_file(path, attribute or None)
    module = importlib.import_module(target)
    return getattr(module, attribute) if attribute else module


def load_backend(name: str) -> Backend:
    """The backend called ``name``; :class:`BackendError` (with the import error) if there is none."""
    try:
        backend = as_backend(_load(name), name)
        entry = _entry_point(name)
        if str(getattr(backend, "version", "unknown")) in ("", "unknown") and entry is not None and entry.dist:
            backend.version = entry.dist.version  # the version of the package that registered it
        return backend
    except BackendError:
        raise
    except Exception as error:  # an import error of any kind stops the run with this message
        known = ", ".join(registered()) or "none"
        raise BackendError(
            f"cannot load backend {name!r}: {type(error).__name__}: {error}\n"
            f"registered backends (entry points of {ENTRY_POINT_GROUP}): {known}; "
            f"a module, module:attr or file.py also works"
        ) from error


def registered() -> list[str]:
    """The names of the backends registered as entry points (the built-in ones included)."""
    from .builtin_backends import BUILT_IN

    return sorted({entry.name for entry in metadata.entry_points(group=ENTRY_POINT_GROUP)} | set(BUILT_IN))
