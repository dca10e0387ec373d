"""Code lists used across registers (domain.md, "Code lists used across registers")."""

SEXES = [("male", "Male"), ("female", "Female"), ("unknown", "Unknown")]

ETHNICITIES = [
    ("WBRI", "White British"),
    ("WIRI", "White Irish"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WROM", "Gypsy/Roma"),
    ("WOTH", "Any other White background"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Black Caribbean"),
    ("BAFR", "Black African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
]
ETHNICITY_CODES = [c for c, _ in ETHNICITIES]

# Reporting groups: CHNE and OOTH are "other", REFU and NOBT "not_known".
ETHNIC_GROUPS = {
    **{c: "white" for c in ("WBRI", "WIRI", "WIRT", "WROM", "WOTH")},
    **{c: "mixed" for c in ("MWBC", "MWBA", "MWAS", "MOTH")},
    **{c: "asian" for c in ("AIND", "APKN", "ABAN", "AOTH")},
    **{c: "black" for c in ("BCRB", "BAFR", "BOTH")},
    "CHNE": "other",
    "OOTH": "other",
    "REFU": "not_known",
    "NOBT": "not_known",
}
ETHNIC_GROUP_ORDER = ["white", "mixed", "asian", "black", "other", "not_known"]


def nhs_number_valid(value: str) -> bool:
    """10 digits with a modulus-11 check digit (a remainder giving 10 is invalid)."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])
