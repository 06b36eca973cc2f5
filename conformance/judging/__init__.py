"""Judging: the one judge (:mod:`.judge`) and which clauses each of its checks verifies (:mod:`.attribution`).

Every verdict of the suite, for vectors, properties and metamorphic relations, is made here.
"""
