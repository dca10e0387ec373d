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
