"""One conformance run: its options (:mod:`.options`), a backend's expectations file (:mod:`.expectations`)
and the context the tests share (:mod:`.context`: backend, profile, devices, the running test's state).
"""
