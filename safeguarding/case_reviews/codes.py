"""Case review code lists. Review types are a configurable model (seeded with these)."""

REVIEW_TYPES = [
    ("scr", "Serious case review (pre-2019 records)"),
    ("rapid_review", "Rapid review"),
    ("lcspr", "Local child safeguarding practice review"),
    ("malr", "Multi-agency learning review"),
    ("single_agency", "Single-agency review"),
    ("no_review", "No review"),
]

PUBLICATION_DECISIONS = [
    ("pending", "Not yet decided"),
    ("publish", "Publish"),
    ("not_publish", "Do not publish"),
]

THEMES = [
    "Assessment of neglect",
    "Early help and statutory interface",
    "Young parents of very young children",
    "Interpretation of procedures",
    "Voice of the child",
    "Domestic abuse",
    "Parental mental health",
    "Information sharing",
    "Families moving between areas",
]
