"""Golden vectors: the cases (:mod:`.cases`), their generation (:mod:`.generate`), schema
validation (:mod:`.validate`) and the drift check (:mod:`.drift`).

Command line: ``python -m conformance.golden {generate,check,validate}``.
"""

from reference import SPEC_VERSION

__all__ = ["SPEC_VERSION"]
