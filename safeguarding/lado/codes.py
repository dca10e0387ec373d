"""LADO code lists (issue 2 contract). Codes are stored; labels are shown."""

RECEIVED_VIA = [
    ("phone", "Telephone"),
    ("email", "Email"),
    ("online_form", "Online referral form"),
    ("meeting", "In a meeting"),
    ("letter", "Letter"),
    ("other", "Other"),
]

EMPLOYER_SECTORS = [
    ("early_years", "Early years"),
    ("primary_school", "Primary school"),
    ("secondary_school", "Secondary school"),
    ("special_school", "Special school"),
    ("further_education", "Further education"),
    ("independent_school", "Independent school"),
    ("foster_carer_local_authority", "Foster carer (local authority)"),
    ("foster_carer_independent", "Foster carer (independent agency)"),
    ("residential_care", "Residential care"),
    ("health", "Health"),
    ("social_care", "Social care"),
    ("police", "Police"),
    ("faith", "Faith groups"),
    ("sport_leisure", "Sport and leisure"),
    ("transport", "Transport"),
    ("voluntary_sector", "Voluntary sector"),
    ("other", "Other"),
]

HARM_TESTS = [
    ("harmed", "Harmed, or may have harmed, a child"),
    ("possible_offence", "Possibly committed a criminal offence against or related to a child"),
    (
        "risk_of_harm",
        "Behaved towards a child in a way that indicates they may pose a risk of harm",
    ),
    (
        "unsuitable",
        "Behaved in a way that indicates they may not be suitable to work with children",
    ),
]

ALLEGATION_CATEGORIES = [
    ("physical", "Physical"),
    ("sexual", "Sexual"),
    ("emotional", "Emotional"),
    ("neglect", "Neglect"),
    ("suitability", "Suitability"),
]

OUTCOMES = [
    ("substantiated", "Substantiated"),
    ("unsubstantiated", "Unsubstantiated"),
    ("unfounded", "Unfounded"),
    ("false", "False"),
    ("malicious", "Malicious"),
    ("no_further_action", "No further action (employer's own process)"),
    ("pending", "Pending"),
]
OUTCOME_CODES = [c for c, _ in OUTCOMES]
# The outcome of the employer's own process, for a referral whose LADO outcome is "no further
# action" (returned to the employer's own process): the same codes, less that one.
EMPLOYER_OUTCOMES = [(c, label) for c, label in OUTCOMES if c != "no_further_action"]
FINAL_OUTCOMES = [c for c in OUTCOME_CODES if c != "pending"]
SECTOR_CODES = [c for c, _ in EMPLOYER_SECTORS]
