"""A JAX port of snnTorch's losses and spike-time estimators (an snnloss-conformance example)."""

__version__ = "0.1.0"
