"""Child death review code lists (issue 3 contract). Codes are stored; labels are shown."""

# The panel's analysis form: category of death.
CATEGORIES = [
    ("1", "1. Deliberately inflicted injury, abuse or neglect"),
    ("2", "2. Suicide or deliberate self-inflicted harm"),
    ("3", "3. Trauma and other external factors"),
    ("4", "4. Malignancy"),
    ("5", "5. Acute medical or surgical condition"),
    ("6", "6. Chronic medical condition"),
    ("7", "7. Chromosomal, genetic and congenital anomalies"),
    ("8", "8. Perinatal/neonatal event"),
    ("9", "9. Infection"),
    ("10", "10. Sudden unexpected, unexplained death"),
]
CATEGORY_CODES = [c for c, _ in CATEGORIES]

MODIFIABLE = [
    ("yes", "Yes: modifiable factors identified"),
    ("no", "No modifiable factors identified"),
    ("insufficient", "Insufficient information"),
]
MODIFIABLE_CODES = [c for c, _ in MODIFIABLE]

# Reported age bands: age on the date of death.
AGE_BANDS = [
    ("under_28_days", "Under 28 days"),
    ("28_to_364_days", "28 to 364 days"),
    ("1_to_4", "1 to 4 years"),
    ("5_to_9", "5 to 9 years"),
    ("10_to_14", "10 to 14 years"),
    ("15_to_17", "15 to 17 years"),
]
AGE_BAND_CODES = [c for c, _ in AGE_BANDS]

PLACES_OF_DEATH = [
    ("hospital", "Hospital"),
    ("home", "Home"),
    ("hospice", "Hospice"),
    ("public_place", "Public place"),
    ("other", "Other"),
    ("not_known", "Not known"),
]

# The panel's analysis form: the four domains in which factors are recorded, each at a level
# (Child Death Review: Statutory and Operational Guidance (England), 2018, and the National
# Child Mortality Database's analysis form). A death has modifiable factors when the panel
# finds factors in any domain that, by national or local intervention, could reduce the risk
# of future child deaths.
FACTOR_DOMAINS = [
    ("factors_child", "Factors intrinsic to the child"),
    (
        "factors_social_environment",
        "Factors in the social environment, including family and parenting capacity",
    ),
    ("factors_physical_environment", "Factors in the physical environment"),
    ("factors_service_provision", "Factors in service provision"),
]
FACTOR_DOMAIN_CODES = [c for c, _ in FACTOR_DOMAINS]

FACTOR_LEVELS = [
    ("none", "None"),
    ("possible", "Possible"),
    ("significant", "Significant"),
]
FACTOR_LEVEL_CODES = [c for c, _ in FACTOR_LEVELS]
