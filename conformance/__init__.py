"""snnloss-conformance: golden vectors and the conformance harness for snnTorch's losses.

The harness in layers, top to bottom; a module imports only from the layers below it
(``pyproject.toml``'s import-linter contract, checked by ``tox -e lint``):

* entry points: :mod:`.plugin` (pytest hooks), :mod:`.__main__` (``python -m conformance``, both
  profiles, and the scoreboard), :mod:`.install_backend` (tox's ``SNNLOSS_BACKEND_INSTALL``);
* :mod:`.suite`: the vector and property tests, and how they hand a call to the judge;
* :mod:`.reports`: the clause report, HTML, progress lines, the scoreboard;
* :mod:`.run`: options, expectations files, the run's context;
* :mod:`.judging`: the one judge, and which clauses each check verifies;
* :mod:`.sandbox`: the backend's worker process, seen from the judging process (crash breaker,
  reply checks, mutation and SHARED-14 judged from outside); :mod:`.worker`: the only harness code
  that runs beside the backend; :mod:`.arena` (inputs in shared memory) and :mod:`.wire` (the
  plain-data message format: nothing crosses as code); :mod:`.outcome`: what a call produced;
* backends: :mod:`.loading` (a ``--backend`` name to a backend), :mod:`.builtin_backends`
  (reference, snntorch), :mod:`.backend` (the API a backend implements);
* :mod:`.golden`: vector data: the cases, their generation, loading, validation, drift check,
  the manifest of the shipped files (:mod:`.golden.manifest`), and the one tolerance comparison
  (:mod:`.golden.compare`);
* :mod:`.clauses` (the spec's clause registry), :mod:`.files` (atomic writes);
* :mod:`.ops`, :mod:`.tensors` (the tensor codec), :mod:`.vocabulary` (profiles, flags,
  statuses, tolerances): facts defined once.
"""

__version__ = "0.1.0"
