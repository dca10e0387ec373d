"""Code lists of the training module."""

LEVELS = [
    ("briefing", "Briefing"),
    ("level_1", "Level 1"),
    ("level_2", "Level 2"),
    ("level_3", "Level 3"),
    ("advanced", "Advanced"),
]

BOOKING_STATUSES = [
    ("booked", "Place confirmed"),
    ("waiting", "On the waiting list"),
    ("cancelled", "Cancelled by the delegate"),
    ("declined", "Declined by the training lead"),
]

ATTENDANCE = [
    ("attended", "Attended"),
    ("absent", "Absent (no-show)"),
    ("late_cancel", "Cancelled late"),
]

STAGES = [
    (1, "Stage 1: before the course"),
    (2, "Stage 2: immediately after the course"),
    (3, "Stage 3: three months later"),
]

CONFIDENCE_CHOICES = [(str(n), str(n)) for n in range(1, 11)]
RATING_CHOICES = [
    ("5", "Excellent"),
    ("4", "Good"),
    ("3", "Satisfactory"),
    ("2", "Poor"),
    ("1", "Very poor"),
]

OTHER_AGENCY = "other"
