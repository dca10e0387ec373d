"""Private fostering code lists (issue 4 contract). Codes are stored; labels are shown."""

CARER_RELATIONSHIPS = [
    ("parent", "Parent"),
    ("parental_responsibility", "Person with parental responsibility"),
    ("grandparent", "Grandparent"),
    ("sibling", "Brother or sister"),
    ("aunt_uncle", "Aunt or uncle"),
    ("step_parent", "Step-parent"),
    ("other_relative", "Other relative (for example a cousin or great-aunt)"),
    ("family_friend", "Family friend"),
    ("host_family", "Host family"),
    ("other", "Other"),
]
RELATIONSHIP_CODES = [c for c, _ in CARER_RELATIONSHIPS]
# Carers who make an arrangement NOT private fostering (domain.md, "Private fostering").
PARENT_RELATIONSHIPS = {"parent", "parental_responsibility"}
CLOSE_RELATIVES = {"grandparent", "sibling", "aunt_uncle", "step_parent"}

# Why a child living away from home is not privately fostered although the carer is not a
# close relative: Children Act 1989 s66(1)(b) and Schedule 8 paragraphs 2 to 5.
EXCLUSIONS = [
    ("looked_after", "The child is looked after by a local authority"),
    ("childrens_home", "The child is accommodated in a children's home"),
    ("hospital", "The child is accommodated in a hospital or care home"),
    ("school", "The child is accommodated at a school as a pupil"),
    ("parent_in_premises", "A parent or close relative lives in the same premises"),
    ("detained", "The child is detained, or lives where a court order requires"),
    ("adoption", "The child is placed for adoption"),
    ("other_exemption", "Another exemption in Schedule 8"),
]
EXCLUSION_CODES = [c for c, _ in EXCLUSIONS]

CATEGORIES = [
    ("language_student", "Language student with a host family"),
    ("education_or_better_life", "Sent for education or a better life"),
    ("parent_ill_health", "Parent's physical or mental ill health"),
    ("family_breakdown", "Family breakdown"),
    ("other", "Other"),
]
CATEGORY_CODES = [c for c, _ in CATEGORIES]

NOTIFIERS = [
    ("parent", "Parent"),
    ("carer", "Proposed or actual carer"),
    ("child", "The child"),
    ("school", "School or college"),
    ("language_school", "Language school or host-family agency"),
    ("health", "Health"),
    ("police", "Police"),
    ("social_care", "Children's social care"),
    ("other", "Other"),
]

END_REASONS = [
    ("returned_home", "Returned to a parent"),
    ("moved_to_relative", "Moved to a close relative"),
    ("age", "Reached 16 (18 if disabled)"),
    ("looked_after", "Became looked after"),
    ("course_ended", "Course or stay ended"),
    ("moved_away", "Moved out of the area"),
    ("other", "Other"),
]

ASSESSMENT_CHECKS = [
    ("dbs_carer", "Enhanced DBS check of the carer"),
    ("dbs_household", "DBS checks of other adults in the household"),
    ("local_authority", "Local authority records checked"),
    ("police", "Police checks"),
    ("health", "Health check of the carer"),
    ("references", "References taken"),
    ("home_visit", "Home visited and accommodation seen"),
]

ASSESSMENT_DECISIONS = [
    ("suitable", "Suitable"),
    ("suitable_with_requirements", "Suitable, with requirements"),
    ("not_suitable", "Not suitable (prohibition or requirements considered)"),
]

DECISIONS = [
    ("private_fostering", "Private fostering"),
    ("not_private_fostering", "Not private fostering"),
    ("to_confirm", "To be confirmed: information missing"),
]

STATUSES = [
    ("proposed", "Proposed: not yet begun"),
    ("active", "Arrangement in place"),
    ("ended", "Arrangement ended"),
    ("not_private_fostering", "Not private fostering"),
    ("to_confirm", "To be confirmed"),
]
