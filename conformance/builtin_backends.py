"""The built-in backends, registered under the entry-point group ``snnloss_conformance.backends``."""

from __future__ import annotations

import reference
import reference.compat

from .backend import TorchModuleBackend
from .vocabulary import SNNTORCH

PROFILE_REFERENCES = {module.PROFILE: module for module in (reference, reference.compat)}  # keyed by PROFILES


def reference_backend() -> TorchModuleBackend:
    """The reference: :mod:`reference` under ``spec``, :mod:`reference.compat` under ``snntorch-1.0``."""
    backend = TorchModuleBackend(name="reference", profile_modules=PROFILE_REFERENCES)
    backend.version = reference.SPEC_VERSION
    return backend


def snntorch_backend() -> TorchModuleBackend:
    """Upstream ``snntorch.functional`` (snnTorch 1.0.0 implements the ``snntorch-1.0`` profile)."""
    import snntorch
    import snntorch.functional

    backend = TorchModuleBackend(snntorch.functional, name="snntorch")
    backend.version = snntorch.__version__
    backend.profile = SNNTORCH
    return backend


# Name -> factory. pyproject.toml registers the same names as entry points (a test compares them); this table
# serves checkouts that are not installed.
BUILT_IN = {"reference": reference_backend, "snntorch": snntorch_backend}
