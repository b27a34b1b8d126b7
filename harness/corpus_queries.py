"""Plain-language questions on the bundled corpus and the document each must find: asserted
in tests/test_corpus.py, measured by bench/corpus_queries.py."""

from __future__ import annotations

# (plain-language query, the document it must find in the top 3). Two harder queries that
# the current retrieval misses are measured, not asserted, in bench/corpus_queries.py.
QUERIES: list[tuple[str, str]] = [
    ("kid shuts down after a fight at home", "practices/co-regulation-after-conflict-at-home.md"),
    ("parents who never come to meetings", "practices/engaging-hard-to-reach-parents.md"),
    ("theory about newcomers learning from the edges",
     "readings/lave-wenger-1991-situated-learning.pdf"),
    ("how to explain to a four-year-old that her dad died",
     "practices/grief-and-bereavement-in-young-children.md"),
    ("teen gets stomach aches every morning and won't go into class",
     "practices/emotionally-based-school-avoidance.md"),
    ("I'm the only one organising our practitioner network and I'm running on empty",
     "practices/cop-distributed-leadership.md"),
    ("plan for a young person leaving remand and going back to school",
     "session-notes/youth-justice/2026-02-05-steps-re-entry-launch.txt"),
    ("link between childhood abuse at home and adult disease and early death",
     "readings/felitti-1998-ace-study.pdf"),
    ("talking with an ambivalent teenager or parent without lecturing them",
     "readings/miller-rollnick-2013-motivational-interviewing.md"),
    ("half our group joins by video and the people on screen get ignored",
     "practices/cop-online-and-hybrid.md"),
    ("Bridges transition passport for a grandparent carer",
     "session-notes/early-years/2026-03-12-bridges-passport-calm-corner.docx"),
    # documents added when the corpus grew to 151
    ("found fresh cuts on a student's arm, what do I do first",
     "practices/first-response-to-self-harm.md"),
    ("teenager being blackmailed over a nude photo",
     "practices/sextortion-and-image-based-abuse.md"),
    ("what to cover when handing over between shifts in a residential unit",
     "practices/shift-handovers-residential-care.md"),
    ("what did the family support group decide about rent arrears",
     "session-notes/family-support/2025-09-11-kitchen-table-pilot-rent-arrears-alert.txt"),
    ("reflection-in-action and the swampy lowlands of practice",
     "readings/schon-1983-reflective-practitioner.pdf"),
    ("three stages of recovery from trauma: safety, remembrance, reconnection",
     "readings/herman-1992-trauma-and-recovery.pdf"),
]
