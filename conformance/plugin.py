"""The pytest plugin (entry point ``pytest11``): options, backend, expectations, clause report.

Run the suite with ``python -m pytest --pyargs conformance --backend NAME``. The
plugin is inert in other pytest sessions: without a backend it only adds options.
"""

from __future__ import annotations

import os
import warnings

import pytest

from . import golden
from .context import Context, device_unavailable, parse_devices
from .expectations import ExpectationsError, load_expectations
from .report import LEGACY_KEY, META_KEY, ClauseReport
from .resolve import BackendError, resolve

CONTEXT_KEY = pytest.StashKey[Context]()
REPORT_KEY = pytest.StashKey[ClauseReport]()
PROFILES = ("spec", "snntorch-1.0")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("snnloss-conformance", "conformance of snnTorch loss implementations")
    group.addoption(
        "--backend", help="backend to test: entry point, module, module:attr or file.py (env SNNLOSS_BACKEND)"
    )
    group.addoption("--device", default="all", help="cpu, cuda, cuda:N, a comma list, or all (default: all)")
    group.addoption("--dtype", default=None, help="only vectors whose record has these dtypes (comma list)")
    group.addoption("--profile", default="spec", choices=PROFILES, help="the profile to check (default: spec)")
    group.addoption("--expectations", default=None, help="YAML file of known skips and xfails")
    group.addoption("--report-json", default=None, help="write the clause report as JSON")
    group.addoption("--report-md", default=None, help="write the clause report as Markdown")
    group.addoption("--vectors", action="append", default=[], help="extra vector files or folders (repeatable)")
    group.addoption("--conformance-time-limit", type=float, default=60.0, help="seconds one backend call may take")


def _hypothesis_profiles() -> None:
    from hypothesis import HealthCheck, settings

    common = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
    settings.register_profile("ci", derandomize=True, max_examples=8, database=None, print_blob=True, **common)
    settings.register_profile("dev", max_examples=40, print_blob=True, **common)
    settings.register_profile("thorough", max_examples=400, print_blob=True, **common)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance(clauses): a conformance test and the clauses it checks")
    name = config.getoption("--backend") or os.environ.get("SNNLOSS_BACKEND")
    if not name:
        return
    try:
        backend = resolve(name)
    except BackendError as error:
        raise pytest.UsageError(str(error)) from None
    # snnTorch's MSE losses warn about broadcasting by design; the warning says nothing about conformance.
    config.addinivalue_line("filterwarnings", "ignore:Using a target size:UserWarning")
    _hypothesis_profiles()
    if not config.getoption("--hypothesis-profile", default=None):
        from hypothesis import settings

        settings.load_profile("ci")
    dtypes = config.getoption("--dtype")
    try:
        devices = parse_devices(config.getoption("--device"))
    except RuntimeError as error:
        raise pytest.UsageError(f"--device: {error}") from None
    context = Context(
        backend=backend,
        backend_name=name,
        profile=config.getoption("--profile"),
        devices=devices,
        dtypes=dtypes.split(",") if dtypes else None,
        time_limit=config.getoption("--conformance-time-limit"),
        extra_vectors=config.getoption("--vectors"),
    )
    if hasattr(backend, "active_profile"):
        backend.active_profile = context.profile
    config.stash[CONTEXT_KEY] = context
    config.stash[REPORT_KEY] = ClauseReport()
    config.pluginmanager.register(_ReportCollector(config.stash[REPORT_KEY]), "snnloss-conformance-report")


class _ReportCollector:
    """Feeds every test report (also those xdist workers send back) into the clause report."""

    def __init__(self, clause_report: ClauseReport) -> None:
        self.clause_report = clause_report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.clause_report.add(report)


def context_of(config: pytest.Config) -> Context:
    context = config.stash.get(CONTEXT_KEY, None)
    if context is None:
        raise pytest.UsageError("the conformance suite needs a backend: give --backend NAME (or set SNNLOSS_BACKEND)")
    return context


@pytest.fixture(scope="session")
def conformance(request: pytest.FixtureRequest) -> Context:
    """The run's settings: backend, profile, devices, dtypes, time limit."""
    return context_of(request.config)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if CONTEXT_KEY not in config.stash:
        return
    for item in items:
        meta = _meta(item)
        if meta is None:
            continue
        item.user_properties.append((META_KEY, meta))
        reason = device_unavailable(meta["device"]) if meta.get("device") else None
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
    _apply_expectations(config, items)


def _meta(item: pytest.Item) -> dict | None:
    marker = item.get_closest_marker("conformance")
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec else {}
    if marker is None and "vector" not in params:
        return None
    meta = {"test": item.originalname if hasattr(item, "originalname") else item.name, "device": params.get("device")}
    vector = params.get("vector")
    if vector is not None:
        meta.update(
            kind="vector",
            case=vector.case["id"],
            op=vector.op,
            dtype=vector.dtype,
            clauses=list(vector.case["clauses"]),
            legacy=list(vector.case["legacy"]),
        )
    else:
        meta.update(
            kind="property", op=params.get("op"), dtype=params.get("dtype"), clauses=list(marker.args), legacy=[]
        )
    return meta


def _apply_expectations(config: pytest.Config, items: list[pytest.Item]) -> None:
    context = config.stash[CONTEXT_KEY]
    paths = [p for p in (config.getoption("--expectations"), context.backend.expectations) if p]
    for path in paths:
        try:
            entries = load_expectations(path)
        except ExpectationsError as error:
            raise pytest.UsageError(str(error)) from None
        for item in items:
            meta = dict(item.user_properties).get(META_KEY)
            for entry in entries:
                if meta is not None and entry.matches(meta):
                    entry.used += 1
                    mark = pytest.mark.xfail if entry.action == "xfail" else pytest.mark.skip
                    item.add_marker(mark(reason=f"expectations file: {entry.reason}"))
                    break
        for entry in entries:
            if not entry.used:
                warnings.warn(
                    pytest.PytestWarning(f"expectations file {path}: entry matches no test: {entry.describe()}"),
                    stacklevel=1,
                )


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    context = config.stash.get(CONTEXT_KEY, None)
    if context is None:
        return None
    return [
        f"snnloss-conformance: backend {context.backend.describe()} ({context.backend_name}), "
        f"profile {context.profile}, devices {', '.join(context.devices)}, "
        f"properties against the {context.property_profile} reference"
    ]


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    clause_report = config.stash.get(REPORT_KEY, None)
    context = config.stash.get(CONTEXT_KEY, None)
    if clause_report is None or context is None or not clause_report.known:
        return
    header = {
        "backend": context.backend_name,
        "backend_version": context.backend.describe(),
        "profile": context.profile,
        "devices": context.devices,
        "spec_version": golden.SPEC_VERSION,
    }
    terminalreporter.section(f"conformance: {context.backend.describe()} under the {context.profile} profile")
    for line in clause_report.terminal_lines():
        terminalreporter.write_line(line)
    clause_report.write(header, config.getoption("--report-json"), config.getoption("--report-md"))


def record_legacy(request: pytest.FixtureRequest, legacy: list[str]) -> None:
    """Attribute an expected failure to legacy behaviours (called just before ``pytest.xfail``)."""
    request.node.user_properties.append((LEGACY_KEY, list(legacy)))
