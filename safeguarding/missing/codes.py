"""Code lists of the missing / exploited / trafficked module (issue 5). Codes are stored."""

EPISODE_TYPES = [
    ("missing", "Missing"),
    ("absent", "Absent"),
    ("away", "Away from placement without authorisation"),
]
# The import accepts the two police categories of the seed's era (issue 5 contract).
IMPORT_EPISODE_TYPES = [("missing", "Missing"), ("absent", "Absent")]

RISK_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]

WHERE_FOUND = [
    ("returned_home", "Returned home or to placement by themselves"),
    ("found_by_police", "Found by the police"),
    ("found_by_family", "Found by family or carers"),
    ("friend_address", "At a friend's address"),
    ("associate_address", "At an adult associate's address"),
    ("out_of_area", "Out of the area"),
    ("hospital", "In hospital"),
    ("custody", "In police custody"),
    ("other", "Other"),
    ("unknown", "Not known"),
]

INTERVIEW_RESPONSES = [("accepted", "Accepted"), ("declined", "Declined")]

EXPLOITATION_TYPES = [("sexual", "Sexual exploitation"), ("criminal", "Criminal exploitation")]

SCREENING_LEVELS = [
    ("none", "No apparent risk"),
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]

LEAVING_REASONS = [
    ("risk_reduced", "Risk reduced"),
    ("moved_away", "Moved out of the area"),
    ("turned_18", "Turned 18"),
    ("custody", "In custody"),
    ("other", "Other"),
]

# How the seed report's dataset names the four monthly indicators (report keys).
INDICATORS = [
    ("care_missing", "Care missing"),
    ("home_missing", "Home missing"),
    ("care_absent", "Care absent"),
    ("home_absent", "Home absent"),
]
