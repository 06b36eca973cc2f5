"""The conformance tests, collected by ``python -m pytest --pyargs conformance --backend NAME``."""
