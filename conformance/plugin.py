"""The pytest plugin (entry point ``pytest11``): options, backend, expectations, clause report.

Run the suite with ``python -m pytest --pyargs conformance --backend NAME``. The
plugin is inert in other pytest sessions: without a backend it only adds options.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pytest

from . import golden
from .loading import BackendError, load_backend
from .reports.clause_report import ClauseReport
from .reports.progress import Progress, ProgressPlugin
from .reports.records import (
    CHECKS_KEY,
    COUNTEREXAMPLE_KEY,
    DECLINED_KEY,
    LEGACY_KEY,
    META_KEY,
    RAN_KEY,
    RERUN_KEY,
)
from .run import options
from .run.context import CONTEXT_KEY, Context, RunningTest, device_unavailable
from .run.expectations import ExpectationsError, load_expectations
from .sandbox import InProcessBackend, SandboxedBackend, SandboxStartError
from .suite.vectors import VectorsError, check_extra_vectors, load_vectors
from .vocabulary import PROFILES, SPEC

REPORT_KEY = pytest.StashKey[ClauseReport]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("snnloss-conformance", "conformance of snnTorch loss implementations")
    group.addoption(
        "--backend", help="backend to test: entry point, module, module:attr or file.py (env SNNLOSS_BACKEND)"
    )
    group.addoption("--device", default="all", help="cpu, cuda, cuda:N, a comma list, or all (default: all)")
    group.addoption("--dtype", default=None, help="only vectors whose record has these dtypes (comma list)")
    group.addoption(
        "--profile",
        default=None,
        choices=PROFILES,
        help="the profile to check (default: the one the backend declares, else spec)",
    )
    group.addoption("--expectations", default=None, help="YAML file of known skips and xfails")
    group.addoption("--report-json", default=None, help="write the clause report as JSON")
    group.addoption("--report-md", default=None, help="write the clause report as Markdown")
    group.addoption("--report-html", default=None, help="write a self-contained HTML report (works offline)")
    group.addoption("--spec-url", default=None, help="base URL of the built spec docs, for clause links in reports")
    group.addoption(
        "--conformance-failures-dir",
        default=".conformance/failures",
        help="where each failing property's counterexample is written as a vector file (default: %(default)s)",
    )
    group.addoption("--vectors", action="append", default=[], help="extra vector files or folders (repeatable)")
    group.addoption("--conformance-time-limit", type=float, default=60.0, help="seconds one backend call may take")
    group.addoption(
        "--conformance-isolation",
        default="process",
        help="process (default): the backend runs in a worker process, crashes and hangs fail one test; "
        "none: in the test process, for debugging (no time limit, a crash ends the run)",
    )
    group.addoption(
        "--conformance-progress",
        default="auto",
        choices=("auto", "on", "off"),
        help="a line each time an op's tests are done; auto: on under --hypothesis-profile thorough (default: auto)",
    )


def _hypothesis_profiles() -> None:
    from hypothesis import HealthCheck, settings

    # Declined draws are rejections; they never fail a test (a test whose draws are all declined skips, and the
    # report counts the examples that ran), so the health check on filtered draws is off.
    suppressed = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
    common = {"deadline": None, "suppress_health_check": suppressed}
    settings.register_profile("ci", derandomize=True, max_examples=8, database=None, print_blob=True, **common)
    settings.register_profile("dev", max_examples=40, print_blob=True, **common)
    settings.register_profile("thorough", max_examples=400, print_blob=True, **common)


# Registered when the plugin is imported, before Hypothesis reads --hypothesis-profile in its own pytest_configure.
_hypothesis_profiles()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "clause(*ids): the spec clause and LB ids (docs/spec) that a test checks")
    name = config.getoption("--backend") or os.environ.get("SNNLOSS_BACKEND")
    if not name:
        return
    # snnTorch's MSE losses warn about broadcasting by design; the warning says nothing about conformance.
    config.addinivalue_line("filterwarnings", "ignore:Using a target size:UserWarning")
    if not config.getoption("--hypothesis-profile", default=None):
        from hypothesis import settings

        settings.load_profile("ci")
    try:  # every option and file is checked before the backend is even loaded
        context = _checked_context(config, name)
    except (options.OptionError, VectorsError, ExpectationsError) as error:
        raise pytest.UsageError(str(error)) from None
    context.backend = _start_backend(name, context)
    if context.profile is None:
        declared = context.backend.profile
        context.profile = declared or SPEC
        context.profile_reason = "declared by the backend" if declared else "the default (the backend declares none)"
    try:
        context.expectations += _expectations_of(context.backend.expectations)
    except ExpectationsError as error:
        context.backend.close()
        raise pytest.UsageError(f"the backend's own expectations file: {error}") from None
    if not context.backend.ops:
        context.backend.close()
        raise pytest.UsageError(f"backend {name!r} declares no ops: there is nothing to test (Backend.ops is empty)")
    config.stash[CONTEXT_KEY] = context
    config.stash[REPORT_KEY] = ClauseReport(context.profile)
    config.pluginmanager.register(_ReportCollector(config.stash[REPORT_KEY]), "snnloss-conformance-report")
    _register_progress(config, context)


def _register_progress(config: pytest.Config, context: Context) -> None:
    wanted = config.getoption("--conformance-progress")
    thorough = config.getoption("--hypothesis-profile", default=None) == "thorough"
    if hasattr(config, "workerinput") or wanted == "off" or (wanted == "auto" and not thorough):
        return

    def write(line: str) -> None:
        terminal = config.pluginmanager.get_plugin("terminalreporter")  # registered after this plugin's configure
        if terminal is not None:
            if getattr(terminal._tw, "width_of_current_line", 0):  # after pytest's progress dots
                terminal.write("\n")
            terminal.write_line(line)

    progress = Progress(f"{context.backend.describe()} / {context.profile}", write)
    config.pluginmanager.register(ProgressPlugin(progress, DECLINED_KEY), "snnloss-conformance-progress")


def _checked_context(config: pytest.Config, name: str) -> Context:
    extra = config.getoption("--vectors")
    context = Context(
        backend=None,
        backend_name=name,
        profile=config.getoption("--profile"),  # None: decided once the backend has declared itself
        devices=options.parse_devices(config.getoption("--device")),
        dtypes=options.parse_dtypes(config.getoption("--dtype")),
        time_limit=options.parse_time_limit(config.getoption("--conformance-time-limit")),
        isolation=options.parse_isolation(config.getoption("--conformance-isolation")),
        extra_vectors=extra,
    )
    check_extra_vectors(extra)
    context.vectors = load_vectors(extra, context.dtypes)
    context.expectations = _expectations_of(config.getoption("--expectations"))
    return context


def _expectations_of(path) -> list:
    return [(str(path), load_expectations(path))] if path else []


def _start_backend(name: str, context: Context):
    """The backend behind its sandbox (or in-process); a usage error if it cannot be loaded."""
    try:
        if context.isolation == "none":
            backend = load_backend(name)
            if hasattr(backend, "active_profile"):
                backend.active_profile = context.profile or backend.profile or SPEC
            return InProcessBackend(backend)
        return SandboxedBackend(name, context.profile, context.time_limit)  # the worker settles a None profile
    except (BackendError, SandboxStartError) as error:
        raise pytest.UsageError(str(error)) from None


def pytest_runtest_setup(item: pytest.Item) -> None:
    context = item.config.stash.get(CONTEXT_KEY, None)
    if context is not None:
        marker = item.get_closest_marker("clause")
        context.current = RunningTest(item, named=tuple(marker.args) if marker else ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """After the call, attach the draws the backend declined, so the report can count them per op."""
    try:
        return (yield)
    finally:
        context = item.config.stash.get(CONTEXT_KEY, None)
        state = context.current if context is not None else None
        if state is not None:
            checks = state.record()
            if state.declined:
                item.user_properties.append((DECLINED_KEY, dict(state.declined)))
            kind = "vector" if "vector" in getattr(getattr(item, "callspec", None), "params", {}) else "property"
            ran = {"kind": kind, "calls": state.examples, "declined": sum(state.declined.values())}
            item.user_properties.append((RAN_KEY, ran))
            if checks is not None:
                item.user_properties.append((CHECKS_KEY, checks))
            if state.legacy:
                item.user_properties.append((LEGACY_KEY, sorted(state.legacy)))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Breakers first: once the backend is declared hung, or the test's op declared crashing, the test fails at
    once. After the call, a property test that could not run one example whole because the backend declined
    its calls skips as declined (Hypothesis calls that unsatisfiable).
    """
    context = pyfuncitem.config.stash.get(CONTEXT_KEY, None)
    meta = _meta(pyfuncitem) if context is not None else None
    if meta is not None:
        if context.backend.declared_hung:
            pytest.fail(context.backend.hung_message(), pytrace=False)
        crashing = context.backend.crashing(meta.get("op"))
        if crashing:
            pytest.fail(crashing, pytrace=False)
    try:
        return (yield)
    except Exception as error:
        from hypothesis.errors import Unsatisfiable

        state = context.current if context is not None else None
        if not isinstance(error, Unsatisfiable) or state is None or not state.declined:
            raise
        reason, _ = state.declined.most_common(1)[0]
        declined = sum(state.declined.values())
        pytest.skip(f"declined: {reason} ({declined} calls declined, no example ran whole)")


def pytest_unconfigure(config: pytest.Config) -> None:
    context = config.stash.get(CONTEXT_KEY, None)
    if context is not None and context.backend is not None:
        context.backend.close()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus) -> None:
    """A run in which no conformance test ran (all skipped or declined) proves nothing: exit non-zero."""
    report = session.config.stash.get(REPORT_KEY, None)
    if report is None or hasattr(session.config, "workerinput"):
        return
    if report.tests_seen and not report.tests_ran and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class _ReportCollector:
    """Feeds every test report (also those xdist workers send back) into the clause report."""

    def __init__(self, clause_report: ClauseReport) -> None:
        self.clause_report = clause_report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.clause_report.add(report)


@pytest.fixture(scope="session")
def conformance(request: pytest.FixtureRequest) -> Context:
    """The run's settings: backend, profile, devices, dtypes, time limit."""
    return Context.of(request.config)


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
    marker = item.get_closest_marker("clause")
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
    for path, entries in context.expectations:
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
        f"profile {context.profile} ({context.profile_reason}), devices {', '.join(context.devices)}, "
        f"isolation {context.isolation}"
    ]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config):
    """The clause report, printed last: after pytest's failures and its short test summary."""
    result = yield
    _clause_summary(terminalreporter, config)
    return result


def _clause_summary(terminalreporter, config: pytest.Config) -> None:
    clause_report = config.stash.get(REPORT_KEY, None)
    context = config.stash.get(CONTEXT_KEY, None)
    if clause_report is None or context is None or not clause_report.known:
        return
    header = report_header(context)
    terminalreporter.section(f"conformance: {context.backend.describe()} under the {context.profile} profile")
    for line in clause_report.terminal_lines():
        terminalreporter.write_line(line)
    terminalreporter.write_line("per op:")
    for line in clause_report.op_lines():
        terminalreporter.write_line("  " + line)
    if clause_report.tests_seen and not clause_report.tests_ran:
        terminalreporter.write_line(
            "no conformance test ran: every one was skipped or declined, so this run proves nothing (exit status 1)",
            red=True,
        )
    written = clause_report.write(header, config.getoption("--report-json"), config.getoption("--report-md"))
    html_path = config.getoption("--report-html")
    if html_path:
        from .files import write_atomic
        from .reports.html import DEFAULT_SPEC_URL, render

        page = render(header, clause_report, config.getoption("--spec-url") or DEFAULT_SPEC_URL)
        written.append(str(write_atomic(html_path, page)))
    for path in written:
        terminalreporter.write_line(f"report written: {path}")


def report_header(context: Context) -> dict:
    import datetime

    import torch

    return {
        "backend": context.backend_name,
        "backend_version": context.backend.describe(),
        "profile": context.profile,
        "profile_reason": context.profile_reason,
        "devices": [f"{d} ({reason})" if (reason := device_unavailable(d)) else d for d in context.devices],
        "dtypes": ", ".join(context.dtypes) if context.dtypes else "all",
        "torch": torch.__version__,
        "spec_version": golden.SPEC_VERSION,
        "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Before pytest shows a failure: write a failing property's counterexample to a file, note the rerun command."""
    context = item.config.stash.get(CONTEXT_KEY, None)
    if context is not None and call.when == "call" and call.excinfo is not None:
        _note_failure(item, context, call.excinfo.value)
    return (yield)


def _note_failure(item: pytest.Item, context: Context, error: BaseException) -> None:
    from .files import write_atomic
    from .suite.helpers import PropertyFailedError

    device = getattr(getattr(item, "callspec", None), "params", {}).get("device", "cpu")
    found = _find(error, PropertyFailedError)
    if found is not None:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1]).strip("_")
        path = Path(item.config.getoption("--conformance-failures-dir")) / f"{name}.yaml"
        text = found.document()
        write_atomic(path, text)
        found.written_to = str(path)
        rerun = found.rerun(str(path), device)
        item.user_properties += [(COUNTEREXAMPLE_KEY, {"path": str(path), "text": text}), (RERUN_KEY, rerun)]
        item.add_report_section("call", "rerun", f"{rerun}\n")
        return
    meta = dict(item.user_properties).get(META_KEY) or {}
    if meta.get("case"):
        item.user_properties.append((RERUN_KEY, context.rerun_command("--device", device, "-k", meta["case"])))


def _find(error: BaseException, kind: type):
    if isinstance(error, kind):
        return error
    stopped = getattr(error, "failure", None)  # a property test that stopped exploring at a failed call
    if isinstance(stopped, BaseException):
        return _find(stopped, kind)
    for inner in getattr(error, "exceptions", ()):  # Hypothesis groups distinct failures
        found = _find(inner, kind)
        if found is not None:
            return found
    return None
