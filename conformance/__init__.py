"""snnloss-conformance: golden vectors and the conformance harness for snnTorch's losses.

* :mod:`conformance.ops` says how every op is called and which input is differentiable.
* :mod:`conformance.tensors` encodes tensors as plain YAML data and back.
* :mod:`conformance.golden` defines, regenerates, validates and drift-checks the golden
  vectors in ``vectors/`` (``python -m conformance.golden --help``).
"""

__version__ = "0.1.0"
