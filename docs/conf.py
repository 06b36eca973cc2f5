"""Sphinx configuration: Markdown (MyST) pages, warnings are errors in tox -e docs."""

project = "snnloss-conformance"
author = "snnloss-conformance developers"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3
html_theme = "alabaster"
