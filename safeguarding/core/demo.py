"""The demo partnership: agencies of a London borough, one user per role, and records."""

from __future__ import annotations

from django.db import transaction

from .models import Agency, User
from .services import agency_create, user_create

DEMO_PASSWORD = "demo-password-2017"
# How sign-in works in the demo: `make demo` serves it with SAFEGUARDING_DEMO=1.
SIGN_IN_NOTE = (
    "Sign-in: email and password only while the server runs with SAFEGUARDING_DEMO=1 "
    "(make demo does); without it officers, managers and administrators set up an "
    "authenticator app at their first sign-in."
)

AGENCIES = [
    ("Children's Social Care, London Borough of Northbank", "local_authority"),
    ("Education Services, London Borough of Northbank", "local_authority"),
    ("Metropolitan Police, Central South BCU", "police"),
    ("Northbank Clinical Commissioning Group", "health"),
    ("Northbank and Riverside Hospitals NHS Trust", "health"),
    ("South London Mental Health NHS Trust (CAMHS)", "health"),
    ("Brockley Rise Primary School", "education"),
    ("Hillside Academy (secondary)", "education"),
    ("St Mary's Catholic Primary School", "education"),
    ("Little Stars Day Nursery", "early_years"),
    ("National Probation Service, London", "probation"),
    ("Youth First (voluntary sector)", "voluntary"),
    ("Northbank Homes", "housing"),
]

# (email, name, agency index, grants, administrator, description)
USERS = [
    (
        "admin@northbank.example",
        "Amira Hassan",
        0,
        {},
        True,
        "partnership administrator (no access to case records)",
    ),
    (
        "lado.manager@northbank.example",
        "Grace Okafor",
        0,
        {"lado": "manager"},
        False,
        "LADO manager: everything, plus meeting types",
    ),
    (
        "lado@northbank.example",
        "Daniel Price",
        0,
        {"lado": "officer"},
        False,
        "LADO officer: sees and edits every LADO record",
    ),
    (
        "dsl@brockleyrise.example",
        "Priya Shah",
        6,
        {"lado": "contributor"},
        False,
        "designated safeguarding lead, Brockley Rise Primary: refers, sees own school's",
    ),
    (
        "dsl@hillside.example",
        "Tom Reilly",
        7,
        {"lado": "contributor"},
        False,
        "designated safeguarding lead, Hillside Academy: refers, sees own school's",
    ),
    (
        "board@northbank.example",
        "Helen Marsh",
        2,
        {"lado": "reader"},
        False,
        "board member: every module's figures, never personal data",
    ),
]


def _module_demos():
    """Each installed module's demo.py, in INSTALLED_APPS order."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("safeguarding.") and config.name != "safeguarding.core":
            if find_spec(f"{config.name}.demo"):
                yield import_module(f"{config.name}.demo")


def demo_users() -> list[tuple[str, str]]:
    return [(email, description) for email, _n, _a, _g, _adm, description in USERS]


def load(*, seed: int = 2017) -> list[tuple[str, str]]:
    """Idempotent: a second run leaves an existing demo partnership as it is."""
    if User.objects.filter(email=USERS[0][0]).exists():
        return [
            (u.email, "demo user")
            for u in User.objects.filter(email__endswith=".example").order_by("email")
        ]
    with transaction.atomic():
        agencies = [agency_create(acting_user=None, name=n, sector=s) for n, s in AGENCIES]
        users = {}
        for email, name, agency_index, grants, admin, _d in USERS:
            users[email] = user_create(
                acting_user=None,
                email=email,
                full_name=name,
                agency=agencies[agency_index],
                grants=grants,
                password=DEMO_PASSWORD,
                is_partnership_admin=admin,
            )
        extra = []
        for module in _module_demos():
            extra += module.load(agencies=agencies, users=users, seed=seed) or []
        # The board member reads every module's figures (and never personal data).
        from .permissions import grantable_modules, role
        from .services import user_update

        board = User.objects.get(email="board@northbank.example")
        missing = {m: "reader" for m in grantable_modules() if role(board, m) is None}
        if missing:
            user_update(
                acting_user=None, user=board, expected_version=board.version, grants=missing
            )
    return demo_users() + extra


def demo_user(email: str, full_name: str, agency: Agency, grants: dict[str, str]) -> User:
    """One of a module's demo users (printed by ``safeguarding demo``)."""
    return user_create(
        acting_user=None,
        email=email,
        full_name=full_name,
        agency=agency,
        grants=grants,
        password=DEMO_PASSWORD,
    )


def agency_named(fragment: str) -> Agency:
    return Agency.objects.get(name__icontains=fragment)
