"""``python -m conformance.install_backend``: install the package under test into this environment.

tox runs it before the conformance suite. ``SNNLOSS_BACKEND_INSTALL`` holds what to
install, as pip arguments: a path (``/src/mypkg``), a requirement (``mypkg==1.2``) or
several (``-e /src/mypkg jax==0.10.2``). Unset or empty, it does nothing. The project's
torch constraint (``PIP_CONSTRAINT``) applies, so the backend cannot swap torch out.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys


def main() -> int:
    wanted = os.environ.get("SNNLOSS_BACKEND_INSTALL", "").strip()
    if not wanted:
        return 0
    command = [sys.executable, "-m", "pip", "install", *shlex.split(wanted)]
    print("installing the backend under test:", " ".join(command), flush=True)
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
