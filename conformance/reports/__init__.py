"""Reports: what tests record on their items (:mod:`.records`), the clause report they fold into
(:mod:`.clause_report`: terminal, JSON, Markdown), the HTML report (:mod:`.html`), the per-op progress
lines (:mod:`.progress`) and the scoreboard of several backends (:mod:`.scoreboard`).
"""
