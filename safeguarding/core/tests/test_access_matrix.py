"""Every URL × every demo account: who gets in, who gets 403, who gets 404.

Generated, not listed: the URL patterns come from the resolver (as in
test_every_url_declares_permission.py), one test per pattern, and the people from the demo
partnership (one account per role per module, across agencies, the administrator and the
anonymous visitor). A new register or page is held to the matrix without editing this file;
a URL part the matrix cannot fill (``_targets``, KWARG_EXAMPLES) fails until it is taught.

Each pattern gets one concrete URL (one record, chosen so that the module's most senior
account can open it and, where the module has contributors, so that some contributor's
agency does not own it; a download one URL per format, a chart one per chart), and for every
account the access model of docs/architecture.md decides the answer:

- anonymous: sent to sign in (GET and POST);
- no role in the URL's module, a role below what the page declares (a reader on a record
  page, a contributor on an edit page), the administrator on any module page: 403 or 404,
  never 200 nor a redirect to success;
- a contributor, on a page contributors may use, for a record another agency owns (for the
  shared child record: that no record naming the child is theirs to see): 404, so that ids
  leak nothing;
- everyone else: what the most senior account that may use it gets on the same URL.

POST endpoints get an empty POST from every account (each rolled back); a refused one must
leave the database as it was. A view answering a header with a part of its page (htmx's
HX-Request, a progress panel) is asked again with it. A wrong method gets 405. What people
see is searched for the demo partnership's personal data (names of children, parents,
carers, adults an allegation is about and delegates; dates of birth as pages print them; NHS
numbers, addresses, delegates' e-mail addresses): none on a reader's or administrator's 200
pages, downloads, charts and PDFs, on the platform's own pages or on public pages; none of
another agency's records on a contributor's pages.
"""

from __future__ import annotations

import datetime as dt
import html
import inspect
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import DateField
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.core.permissions import RANK, Requirement, role

# ---- the URL patterns -----------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern.callback


ROUTES = {name: (route, view) for route, name, view in _walk(get_resolver().url_patterns)}

# Pages open to anyone, and why; they are asked for by the anonymous visitor only (signing out
# a signed-in test client would sign it out for the rest of the file) and must show nobody's
# personal data. Every other page must send the anonymous visitor to sign in.
PUBLIC_PAGES = {
    "accessibility": "the accessibility statement",
    "health": "a plain ok for load balancers and the bench: no database, nothing personal",
    "login": "sign-in",
    "logout": "sign-out",
    "password_reset": "password reset",
    "password_reset_done": "password reset",
    "password_reset_confirm": "password reset, by the emailed link",
    "password_reset_complete": "password reset",
    "training:programme": "the public training programme",
    "training:book": "applying for a place",
    "training:booked": "the application is received",
    "training:verify": "anyone may check a certificate's code",
}
# Public by a signed link: the delegate sees their own booking (asked for, never POSTed to).
SIGNED_LINK_PAGES = {
    "training:manage": "the delegate's own booking",
    "training:evaluate": "the delegate's evaluation",
    "training:certificate": "the delegate's certificate (PDF)",
}

# Pages about two records at once, and why an account that may use the page can still get 404
# where the module's senior account gets the page.
TWO_RECORD_PAGES = {
    "children:merge": "the pair of duplicates: 404 for an account that sees only one of them",
}

# What each declared action needs, as a rank (permissions.ACCESS).
NEEDS = {
    "view_figures": RANK["reader"],
    "list_records": RANK["contributor"],
    "view_record": RANK["contributor"],
    "add_record": RANK["contributor"],
    "change_record": RANK["officer"],
    "import_records": RANK["officer"],
    "configure": RANK["manager"],
    "export_records": RANK["manager"],
}


def _manages_a_module(person) -> bool:
    from safeguarding.core.permissions import MODULES

    return any(person.role(m) == "manager" for m in MODULES)


# The platform's own pages (no module): who may use each declared action.
PLATFORM_ACCESS = {
    "administer": lambda p: p.is_admin,  # agencies and users: administrators only
    "review_access": lambda p: p.is_admin or _manages_a_module(p),  # who holds which role
    "read_access_log": _manages_a_module,  # who looked at their modules' records
}

# ---- personal data --------------------------------------------------------------------------

# The fields of each module's records that hold personal data (of children, their families,
# adults an allegation is about, delegates), by model. ``a+b`` is a full name of two fields.
PERSONAL_FIELDS = {
    "children.child": ("first_name+last_name", "date_of_birth", "external_reference"),
    "child_deaths.death": ("child_name", "date_of_birth", "nhs_number"),
    "lado.case": ("subject_name", "subject_date_of_birth"),
    "private_fostering.notification": (
        "notifier_name",
        "child_first_name+child_last_name",
        "child_date_of_birth",
        "parents_names",
        "parents_contact",
        "carer_name",
        "carer_address",
    ),
    "training.booking": ("full_name", "email", "line_manager_email"),
    "training.elearningcompletion": ("learner_name", "email"),
    "actions.action": ("owner_person",),
    "missing.episode": ("police_reference",),
}
# Fields whose names look personal but hold none, and why.
NOT_PERSONAL = {
    "lado.case.employer_name": "an organisation",
    "lado.case.subject_role": "a job title",
    "lado.case.contact_date": "when the LADO was contacted",
    "lado.meetingtype.name": "configuration",
    "missing.metmeetingtype.name": "configuration",
    "case_reviews.reviewtype.name": "configuration",
    "case_reviews.theme.name": "configuration",
    "case_reviews.referral.title": "the case's published name (e.g. Case RSW)",
    "case_reviews.referral.reviewer": "the independent lead reviewer, a professional",
    "performance.indicatorgroup.name": "configuration",
    "performance.indicator.name": "an indicator",
    "training.booking.job_role": "a job title",
    "private_fostering.notification.carer_relationship": "a code",
    "private_fostering.notification.carer_household": "free text, checked through the names",
    "private_fostering.notification.parents_country": "a country",
    "child_deaths.death.home_area": "an area of the borough (figures are counted by area)",
    "children.child.home_area": "an area of the borough (figures are counted by area)",
}
LOOKS_PERSONAL = re.compile(
    r"name|birth|email|address|contact|nhs|carer|parent|notifier|learner|subject|person"
    r"|household|phone|postcode"
)
DATE_FORMATS = ("%-d %b %Y", "%-d %B %Y", "%d/%m/%Y", "%Y-%m-%d")


def _personal_values(record, spec: str) -> list[str]:
    if "+" in spec:  # a name in two fields, as pages print it: "Ana Silva", "SILVA, Ana"
        first, last = (str(getattr(record, f) or "").strip() for f in spec.split("+"))
        return [f"{first} {last}", f"{last} {first}", f"{last}, {first}"] if first and last else []
    value = getattr(record, spec)
    if not value:
        return []
    if isinstance(value, dt.date):
        return [value.strftime(f) for f in DATE_FORMATS]
    if spec == "nhs_number" and len(value) == 10:
        return [value, f"{value[:3]} {value[3:6]} {value[6:]}"]
    if "\n" in value or "," in value:  # an address: a line with a number is enough to know it
        lines = [line.strip() for line in re.split(r"[\n,]", value)]
        return [value, *(line for line in lines if re.search(r"\d", line))]
    return [value]


def _modules_naming(model) -> set[str]:
    """The module of a model's records, and the modules whose records link to them."""
    found = {model.MODULE}
    for other in apps.get_models():
        for f in other._meta.get_fields():
            if f.is_relation and not f.auto_created and f.related_model is model:
                found.add(getattr(other, "MODULE", ""))
    return found - {""}


def _children_named() -> dict[int, dict[str, set]]:
    """{child id: {module: the agencies owning its records that name the child}}: who may see
    a shared child follows the records naming it (a contributor: their agency's records)."""
    from safeguarding.children.models import Child

    named: dict[int, dict[str, set]] = {}
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if model is Child or not (
                f.is_relation and not f.auto_created and f.related_model is Child
            ):
                continue
            for record in model._default_manager.prefetch_related(f.name):
                children = getattr(record, f.name)
                ids = [c.pk for c in children.all()] if f.many_to_many else [children.pk]
                for child_id in ids:
                    agencies = named.setdefault(child_id, {}).setdefault(model.MODULE, set())
                    agencies.add(getattr(record, "owning_agency_id", None))
    return named


def _asked_of(model) -> dict[int, set]:
    """{record id: the agencies owning records of their own about it} (a reporting form asked
    of the police about a child's death): those agencies' contributors may see who it is."""
    asked: dict[int, set] = {}
    for other in apps.get_models():
        owner = next((f for f in other._meta.concrete_fields if f.name == "owning_agency"), None)
        if other is model or owner is None:
            continue
        for f in other._meta.concrete_fields:
            if f.is_relation and f.many_to_one and f.related_model is model:
                for pk, agency in other._default_manager.values_list(f.attname, owner.attname):
                    asked.setdefault(pk, set()).add(agency)
    return asked


class PersonalData:
    """The demo partnership's personal strings, and a search of a page for them.

    Names, e-mail addresses, NHS numbers and addresses are searched for on every page; a date
    of birth only on the pages of the modules that record that person (a figures page prints
    dates of its own: a training session's date is nobody's birthday). Each string also
    knows the agencies whose records hold it: a contributor's pages show no other agency's."""

    def __init__(self):
        from safeguarding.core.models import Agency, User

        self.naming = _children_named()
        ignore = {u.full_name.lower() for u in User.objects.all()}  # staff: shown in headers
        # Staff names are taken out of a page before it is searched: two of them side by side
        # in a filter ("Ruth Adeyemi", "Grace Okafor") must not read as a child's name.
        self.staff = sorted(
            (" ".join(name.split()) for name in ignore if name.strip()), key=len, reverse=True
        )
        ignore |= {a.name.lower() for a in Agency.objects.all()}
        # needle (lower case) -> (where it came from, the modules whose pages may not show it
        # to readers; None: any page)
        self.needles: dict[str, tuple[str, set | None]] = {}
        # module -> {needle (no dates): the agencies owning a record of the module holding it}
        self.owners: dict[str, dict[str, set]] = {}
        for label, specs in PERSONAL_FIELDS.items():
            model = apps.get_model(label)
            modules = _modules_naming(model)
            is_child = label == "children.child"
            asked = _asked_of(model)
            for record in model._default_manager.all():
                if is_child:
                    owners = set().union(*self.naming.get(record.pk, {}).values())
                    owners.add(record.owning_agency_id)
                else:
                    owners = {getattr(record, "owning_agency_id", None)}
                owners |= asked.get(record.pk, set())
                for spec in specs:
                    is_date = isinstance(model._meta.get_field(spec.split("+")[0]), DateField)
                    for value in _personal_values(record, spec):
                        needle = " ".join(value.lower().split())
                        if len(needle) < 6 or needle in ignore or _is_period_date(value):
                            continue
                        where = (f"{label} {record.pk} {spec}", modules if is_date else None)
                        self.needles.setdefault(needle, where)
                        if not is_date:
                            for module in modules:
                                held = self.owners.setdefault(module, {})
                                held.setdefault(needle, set()).update(owners)
        self.by_first_word: dict[str, list[str]] = {}
        for needle in self.needles:
            self.by_first_word.setdefault(_words(needle)[0], []).append(needle)

    def _search(self, text: str, wanted) -> list[str]:
        text = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).lower().split())
        for name in self.staff:
            text = text.replace(name, " | ")
        found = []
        for word in set(_words(text)) & self.by_first_word.keys():
            for needle in self.by_first_word[word]:
                if not wanted(needle) or needle not in text:
                    continue
                if re.search(rf"(?<![\w@.]){re.escape(needle)}(?![\w@])", text):
                    found.append(f"{needle!r} ({self.needles[needle][0]})")
        return sorted(found)

    def found_in(self, text: str, module: str | None = None) -> list[str]:
        """Any personal data (a date of birth: on its modules' pages only; the platform's
        pages print other dates, such as what is due when)."""

        def wanted(needle):
            modules = self.needles[needle][1]
            return modules is None or module in modules

        return self._search(text, wanted)

    def other_agencies_in(self, text: str, module: str, agency_id) -> list[str]:
        """Personal data that only other agencies' records of the module hold."""
        held = self.owners.get(module, {})
        return self._search(text, lambda n: n in held and agency_id not in held[n])


def _words(text: str) -> list[str]:
    return re.findall(r"[\w@'-]+(?:\.[\w@'-]+)*", text) or [text]


def _is_period_date(value: str) -> bool:
    """A date of birth on the first or last day of a month is also a period's boundary, which
    figures pages print ("1 April 2016 to 31 March 2017"): it cannot be told apart."""
    for fmt in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(value, fmt.replace("%-d", "%d")).date()
        except ValueError:
            continue
        return day.day == 1 or (day + dt.timedelta(days=1)).day == 1
    return False


def _body_text(response, pdf_html: list[str]) -> str:
    """What a person sees of a response: its text, a workbook's cells, a PDF's HTML source."""
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content or b""
    )
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind or content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            parts = [book.read(n).decode() for n in book.namelist() if n.endswith(".xml")]
        return re.sub(r"<[^>]+>", " ", " ".join(parts))
    if "pdf" in kind or content[:4] == b"%PDF":
        return " ".join(pdf_html)
    return content.decode("utf-8", "replace")


# ---- the demo partnership, once for this file -----------------------------------------------


@dataclass
class Person:
    label: str
    user: object | None  # None: the anonymous visitor
    client: Client

    def role(self, module: str | None) -> str | None:
        return role(self.user, module) if self.user is not None and module else None

    def rank(self, module: str | None) -> int:
        return RANK.get(self.role(module) or "", 0)

    @property
    def agency_id(self):
        return self.user.agency_id if self.user is not None else None

    @property
    def is_admin(self) -> bool:
        return bool(self.user is not None and self.user.is_partnership_admin)

    def describe(self, module: str | None) -> str:
        if self.user is None:
            return "anonymous"
        what = self.role(module) or ("administrator" if self.is_admin else "no role")
        return f"{self.label} ({module or 'platform'} {what}, agency {self.user.agency_id})"


@dataclass
class Target:
    """One concrete URL of a pattern, and whose it is."""

    url: str
    owners: set | None = None  # agencies whose contributors may open it; None: not scoped
    scope_module: str | None = None  # the module whose rank decides officer or contributor
    creator: object | None = None  # a page only its creator may open (an import's progress)
    # A shared child: {module whose records name it: the agencies owning those records}
    naming: dict[str, set] | None = None
    record: object | None = None
    note: str = ""


@dataclass
class World:
    people: list[Person]
    personal: PersonalData
    targets: dict[str, list[Target]] = field(default_factory=dict)

    @cached_property
    def anonymous(self) -> Person:
        return next(p for p in self.people if p.user is None)

    @cached_property
    def admin(self) -> Person:
        return next(p for p in self.people if p.is_admin)

    def senior(self, module: str | None) -> Person:
        """The account that may do most in a module (the administrator for administration)."""
        if module is None:
            return self.admin
        return max(
            (p for p in self.people if p.user is not None),
            key=lambda p: (p.rank(module), -p.user.pk),
        )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo partnership and a signed-in client per demo account, loaded once for this file
    and rolled back at its end."""
    from safeguarding.core.demo import load
    from safeguarding.core.models import User

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load(seed=2017)
            people = [Person("anonymous", None, Client())]
            for user in User.objects.filter(email__endswith=".example").order_by("pk"):
                client = Client()
                client.force_login(user)
                people.append(Person(user.email.removesuffix(".example"), user, client))
            yield World(people=people, personal=PersonalData())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---- the concrete URLs of a pattern -----------------------------------------------------------

KWARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def _kwargs_of(route: str) -> dict[str, str]:
    return {name: converter or "str" for converter, name in KWARG.findall(route)}


def _agency_scoped(model) -> bool:
    """Records that an agency owns (a contributor sees their own agency's only), as opposed to
    configuration and programme rows (``owning_agency_id = None`` on the class)."""
    return inspect.getattr_static(model, "owning_agency_id", None) is not None


def _register_of(view, module: str | None):
    from safeguarding.core.registers import REGISTERS

    reg = getattr(view, "register", None)
    return reg or next((r for r in REGISTERS.values() if r.module == module), None)


def _year(view, module):
    from safeguarding.core.periods import FinancialYear
    from safeguarding.core.register_views import default_year

    reg = _register_of(view, module)
    if reg is not None and reg.figures is not None:
        return default_year(reg).label
    return FinancialYear.current().previous().label


def _naming(world: World) -> dict[int, dict[str, set]]:
    return world.personal.naming


def _child_owners(world: World, child) -> dict[str, set]:
    """Who may see a shared child; one that no record names yet: its own module's scope."""
    return _naming(world).get(child.pk) or {child.MODULE: {child.owning_agency_id}}


def _harvest(world: World, name: str, kwarg: str) -> list:
    """Ids the module's own pages link to for this pattern (as its most senior account sees
    them): records in a state the page is for (a pair of duplicates to merge, say)."""
    from django.urls import Resolver404, resolve

    namespace = name.rpartition(":")[0]
    senior = world.senior(ROUTES[name][1].requirement.module)
    found = []
    for other, (route, view) in ROUTES.items():
        if other.rpartition(":")[0] != namespace or _kwargs_of(route):
            continue
        if "GET" not in view.allowed_methods or view.requirement.action == "public":
            continue
        page = senior.client.get(reverse(other))
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"?#]*)', page.content.decode()):
            try:
                match = resolve(href)
            except Resolver404:
                continue
            if match.view_name == name and kwarg in match.kwargs:
                found.append(match.kwargs[kwarg])
    return list(dict.fromkeys(found))


def _record_targets(world: World, name: str, view, kwarg: str) -> list[Target]:
    model = view.record
    assert model is not None, f"{name}: declare @requires(..., record=TheModel) for its {kwarg}"
    requirement = view.requirement
    scope_module = getattr(model, "MODULE", None)
    scoped = (
        _agency_scoped(model)
        and NEEDS.get(requirement.action, 0) >= RANK["contributor"]
        and scope_module is not None
    )
    agencies = {p.agency_id for p in world.people if p.role(scope_module) == "contributor"}

    is_child = model._meta.label_lower == "children.child"

    def owners(record) -> set:
        if is_child:
            return set().union(*_child_owners(world, record).values())
        return {getattr(record, "owning_agency_id", None)}

    def score(record) -> int:
        if not scoped:
            return 0
        return 2 * bool(agencies - owners(record)) + bool(owners(record) & agencies)

    candidates = sorted(model._default_manager.order_by("pk")[:500], key=lambda r: -score(r))
    senior = world.senior(requirement.module)

    def url(pk):
        return reverse(name, kwargs={kwarg: pk})

    chosen, note = None, ""
    if "GET" in view.allowed_methods:
        for record in candidates[:20]:
            if senior.client.get(url(record.pk)).status_code == 200:
                chosen = record
                break
        if chosen is None:
            best = max((score(r) for r in candidates), default=0)
            for pk in _harvest(world, name, kwarg):
                record = model._default_manager.filter(pk=pk).first()
                if (
                    record
                    and score(record) == best
                    and senior.client.get(url(pk)).status_code == 200
                ):
                    chosen = record
                    break
    if chosen is None:
        assert candidates, f"{name}: the demo partnership has no {model.__name__} to open"
        chosen = candidates[0]
        if "GET" in view.allowed_methods:
            note = (
                f"no demo {model.__name__} opens for {senior.label}: access checked on #{chosen.pk}"
            )

    def target(record, note=""):
        return Target(
            url(record.pk),
            owners=owners(record) if scoped else None,
            scope_module=scope_module,
            naming=_child_owners(world, record) if is_child else None,
            record=record,
            note=note,
        )

    targets = [target(chosen, note)]
    if is_child:
        # And a child that only other modules' records name (a case review's child when the
        # first is a missing child): whoever holds no role there must not open it.
        known = set(targets[0].naming)
        other = next(
            (pk for pk, mods in sorted(_naming(world).items()) if mods and not set(mods) & known),
            None,
        )
        assert other is not None, f"{name}: the demo has no child known only to other modules"
        child = model._default_manager.get(pk=other)
        targets.append(target(child, f"a child named only by {sorted(_naming(world)[other])}"))
    return targets


def _plan_targets(world: World, name: str) -> list[Target]:
    """An action plan (a review's, a death's): the agencies owning its actions see it."""
    from safeguarding.actions.models import Action

    plans: dict[tuple, set] = {}
    for type_id, source_id, agency in Action.objects.values_list(
        "source_type_id", "source_id", "owning_agency_id"
    ):
        plans.setdefault((type_id, source_id), set()).add(agency)
    agencies = {p.agency_id for p in world.people if p.role("actions") == "contributor"}
    (type_id, source_id), owners = max(
        plans.items(), key=lambda kv: bool(agencies - kv[1]) * 2 + bool(agencies & kv[1])
    )
    url = reverse(name, kwargs={"type_id": type_id, "source_id": source_id})
    return [Target(url, owners=owners, scope_module="actions")]


def _targets(world: World, name: str) -> list[Target]:
    """The concrete URLs of a pattern (kept for the rest of its test)."""
    if name in world.targets:
        return world.targets[name]
    route, view = ROUTES[name]
    module = view.requirement.module
    kwargs = _kwargs_of(route)
    pk = [k for k, conv in kwargs.items() if conv == "int" and (k == "pk" or k.endswith("_pk"))]
    if not kwargs:
        targets = [Target(reverse(name))]
    elif set(kwargs) == {"type_id", "source_id"}:
        targets = _plan_targets(world, name)
    elif pk and set(kwargs) == set(pk[:1]):
        targets = _record_targets(world, name, view, pk[0])
    elif "job" in kwargs:
        from safeguarding.core.models import ImportJob

        senior = world.senior(module)
        job = ImportJob.objects.create(
            register=_register_of(view, module).slug,
            created_by=senior.user,
            suffix=".csv",
            status="done",
            summary="2 rows imported",
        )
        targets = [Target(reverse(name, kwargs={"job": job.pk}), creator=senior.user)]
    elif "token" in kwargs and name.startswith("training:"):  # a delegate's signed link
        from safeguarding.training.models import Booking
        from safeguarding.training.tokens import booking_token

        booking = (
            Booking.objects.filter(evaluations__stage=2).exclude(certificate_code="").first()
            or Booking.objects.first()
        )
        values = {"token": booking_token(booking)} | ({"stage": 2} if "stage" in kwargs else {})
        targets = [Target(reverse(name, kwargs=values))]
    else:
        values = dict(KWARG_EXAMPLES)
        if "year" in kwargs:
            values["year"] = [_year(view, module)]
        if "chart" in kwargs:
            reg = _register_of(view, module)
            values["chart"] = [c.name for c in reg.figures.charts]
        unknown = set(kwargs) - set(values)
        assert not unknown, f"{name}: teach the matrix a value for {sorted(unknown)}"
        combos = [{}]
        for k in kwargs:
            combos = [{**c, k: v} for c in combos for v in values[k]]
        targets = [Target(reverse(name, kwargs=c)) for c in combos]
    world.targets[name] = targets
    return targets


# Values for URL parts that are not records.
KWARG_EXAMPLES = {
    "fmt": ["csv", "xlsx"],  # a register's downloads: both formats
    "indicator": ["total"],  # the missing figures' commentary: one of its topics
    "uidb64": ["MQ"],  # a password reset link (public: an invalid link's page)
    "token": ["set-password"],
}


# ---- what each account should get ----------------------------------------------------------


@dataclass
class Expect:
    statuses: set[int] | None  # None: what the module's most senior account gets
    reason: str


SENIOR = "may use it (as the module's most senior account does)"


def _expect(view, target: Target, person: Person) -> Expect | None:
    """The access model of docs/architecture.md for one cell."""
    requirement: Requirement = view.requirement
    module, action = requirement.module, requirement.action
    if person.user is None:
        return Expect({302}, "anonymous: sent to sign in")
    if action == "signed_in":
        return Expect(None, SENIOR)
    if module is None:
        may = PLATFORM_ACCESS.get(action)
        assert may is not None, f"teach the matrix who may {action} (PLATFORM_ACCESS)"
        if may(person):
            return Expect(None, SENIOR)
        return Expect({403, 404}, f"may not {action}")
    if person.rank(module) == 0:
        who = "an administrator with " if person.is_admin else ""
        return Expect({403, 404}, f"{who}no role in {module}")
    if person.rank(module) < NEEDS[action]:
        article = "an" if person.role(module)[0] in "aeiou" else "a"
        return Expect({403, 404}, f"{article} {person.role(module)} may not {action}")
    if target.naming is not None and not any(
        person.rank(m) >= RANK["officer"]
        or (person.rank(m) >= RANK["contributor"] and person.agency_id in agencies)
        for m, agencies in target.naming.items()
    ):
        naming = ", ".join(sorted(target.naming))
        return Expect({404}, f"no record naming this child ({naming}) is theirs to see")
    if target.creator is not None and person.user != target.creator:
        return Expect({404}, "someone else's import (404: its id leaks nothing)")
    if (
        target.naming is None
        and target.owners is not None
        and person.rank(target.scope_module) < RANK["officer"]
        and person.agency_id not in target.owners
    ):
        return Expect({404}, "another agency's record (404: its id leaks nothing)")
    return Expect(None, SENIOR)


def _sees_no_personal_data(view, person: Person) -> bool:
    """Readers see figures only; administrators and anyone without a role see no records; the
    platform's own pages (home's worklist: registers.WorkItem) hold none for anyone."""
    requirement = view.requirement
    if person.user is None or requirement.module is None:
        return True
    return person.role(requirement.module) in (None, "reader")


def _partial_headers(view) -> dict[str, str]:
    """The headers with which the view answers part of a page (htmx, a progress panel)."""
    sources = []
    function = inspect.unwrap(view)
    for f in (function, *inspect.getclosurevars(function).nonlocals.values()):
        if inspect.isfunction(f):
            try:
                sources.append(inspect.getsource(f))
            except (OSError, TypeError):
                pass
    source = "\n".join(sources)
    headers = {h: "1" for h in re.findall(r"headers\.get\(\s*[\"']([\w-]+)[\"']", source)}
    if "request.htmx" in source or "HX-Request" in source:
        headers["HX-Request"] = "true"
    return headers


# ---- the database, to prove a refused POST wrote nothing -------------------------------------

UNWATCHED_TABLES = ("django_session", "axes_")  # sign-in bookkeeping, not records


def _counts() -> tuple:
    tables = [
        t for t in connection.introspection.table_names() if not t.startswith(UNWATCHED_TABLES)
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def _snapshot(target: Target):
    record = getattr(target, "record", None)
    row = None
    if record is not None:
        row = type(record)._default_manager.filter(pk=record.pk).values().first()
    return _counts(), row


def _changes(before, after) -> str:
    (counts, row), (counts_after, row_after) = before, after
    changed = [
        f"{t}: {a} -> {b}" for (t, a), (_, b) in zip(counts, counts_after, strict=True) if a != b
    ]
    if row != row_after:
        changed.append("the record itself changed")
    return "; ".join(changed)


# ---- one request -----------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str = ""
    text: str = ""
    error: str = ""


def _ask(person: Person, method: str, url: str, headers=None, *, read: bool, pdfs: list):
    pdfs.clear()
    try:
        response = getattr(person.client, method.lower())(url, {}, headers=headers or {})
    except Exception as exc:  # the test client re-raises a view's exception: a 500
        return Answer(500, error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        # A message a POST left ("... recorded") would be shown on this account's next page:
        # each cell starts without one (the session's copy is rolled back with the POST).
        person.client.cookies.pop("messages", None)
    text = _body_text(response, pdfs) if read and response.status_code == 200 else ""
    return Answer(response.status_code, response.get("Location", ""), text)


def _signs_in(answer: Answer) -> bool:
    return answer.status == 302 and answer.location.startswith(resolve_url(settings.LOGIN_URL))


# ---- the matrix ------------------------------------------------------------------------------


@pytest.fixture
def pdfs(monkeypatch) -> list[str]:
    """The HTML of each PDF made during a request (what its pages print)."""
    import weasyprint

    made: list[str] = []
    real = weasyprint.HTML

    def capture(*args, string=None, **kwargs):
        if string is not None:
            made.append(string)
        return real(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", capture)
    return made


def _public_cells(world: World, name: str, view, pdfs) -> list[str]:
    """A public page: it answers the anonymous visitor, and shows no one's personal data
    unless it is the delegate's own page, opened by its signed link."""
    failures = []
    for target in _targets(world, name):
        for method in view.allowed_methods:
            if method == "POST" and name in SIGNED_LINK_PAGES:
                continue  # would cancel the delegate's booking: the delegate's own business
            answer = _ask(world.anonymous, method, target.url, read=True, pdfs=pdfs)
            cell = f"{method} {target.url} anonymous"
            if answer.status >= 500:
                failures.append(f"{cell}: expected an answer, got {answer.status} {answer.error}")
            if name not in SIGNED_LINK_PAGES and (found := world.personal.found_in(answer.text)):
                failures.append(f"{cell}: public page shows personal data: {found[:5]}")
    return failures


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_access_matrix(name, world, db, pdfs):
    route, view = ROUTES[name]
    requirement = view.requirement
    module = requirement.module
    failures: list[str] = []
    if name in PUBLIC_PAGES or name in SIGNED_LINK_PAGES:
        assert requirement.action == "public", f"{name} is listed as public but is not"
        failures += _public_cells(world, name, view, pdfs)
    else:
        assert requirement.action != "public", f"/{route}: public, but not in PUBLIC_PAGES"
        failures += _private_cells(world, name, view, pdfs)
    wrong = "GET" if "GET" not in view.allowed_methods else "POST"
    if wrong not in view.allowed_methods:
        target = _targets(world, name)[0]
        person = world.anonymous if requirement.action == "public" else world.senior(module)
        answer = _ask(person, wrong, target.url, read=False, pdfs=pdfs)
        if answer.status != 405:
            failures.append(
                f"{wrong} {target.url} {person.label}: wrong method, got {answer.status}"
            )
    assert not failures, f"{name} (/{route}):\n  " + "\n  ".join(failures)


def _senior_for(world: World, view, target: Target) -> Person:
    """Whose answer the others who may use the page should get: of those who may, the one
    with the highest role (the administrator for administration)."""
    module = view.requirement.module
    allowed = [
        p
        for p in world.people
        if p.user is not None and getattr(_expect(view, target, p), "statuses", 0) is None
    ]
    if not allowed:
        return world.senior(module)
    return max(allowed, key=lambda p: (p.rank(module), -p.user.pk))


def _private_cells(world: World, name: str, view, pdfs) -> list[str]:
    partial = _partial_headers(view)
    pair = name in TWO_RECORD_PAGES
    failures = []
    for target in _targets(world, name):
        senior = _senior_for(world, view, target)
        if target.note:
            print(f"{name}: {target.note}")
        contributors = [p for p in world.people if p.role(target.scope_module) == "contributor"]
        for_contributors = NEEDS.get(view.requirement.action, 0) <= RANK["contributor"]
        if target.owners is not None and contributors and for_contributors:
            assert any(
                getattr(_expect(view, target, p), "statuses", None) == {404} for p in contributors
            ), f"{name}: no demo record of another agency to ask for ({target.url})"
        if "GET" in view.allowed_methods:
            variants = [{}] + ([partial] if partial else [])
            for headers in variants:
                failures += _get_cells(world, view, target, senior, headers, pdfs, pair)
        if "POST" in view.allowed_methods:
            failures += _post_cells(world, view, target, senior, pdfs, pair)
    return failures


def _cell(method, target, person, module, headers=None) -> str:
    extra = f" with {headers}" if headers else ""
    return f"{method} {target.url}{extra} as {person.describe(module)}"


def _get_cells(world, view, target, senior, headers, pdfs, pair) -> list[str]:
    module = view.requirement.module
    failures = []
    logged = _access_rows()
    reference = _ask(senior, "GET", target.url, headers, read=True, pdfs=pdfs)
    if (
        reference.status == 200
        and world.personal.found_in(reference.text, module)
        and _access_rows() == logged
    ):
        failures.append(
            f"{_cell('GET', target, senior, module, headers)}: shows personal data, "
            "but wrote no row to the access log"
        )
    for person in world.people:
        expect = _expect(view, target, person)
        if expect is None:
            continue
        read = _sees_no_personal_data(view, person)
        contributor = person.role(module) == "contributor"
        answer = (
            reference
            if person is senior and not (read or contributor)
            else _ask(person, "GET", target.url, headers, read=read or contributor, pdfs=pdfs)
        )
        cell = _cell("GET", target, person, module, headers)
        problem = _judge(expect, answer, reference, pair=pair)
        if problem:
            failures.append(f"{cell}: {problem}")
        if read and (found := world.personal.found_in(answer.text, module)):
            failures.append(f"{cell}: shows personal data to someone who sees none: {found[:5]}")
        if contributor and (
            found := world.personal.other_agencies_in(answer.text, module, person.agency_id)
        ):
            failures.append(
                f"{cell}: shows a contributor other agencies' personal data: {found[:5]}"
            )
    return failures


def _access_rows() -> int:
    from safeguarding.core.models import AccessEvent

    return AccessEvent.objects.count()


def _post_cells(world, view, target, senior, pdfs, pair) -> list[str]:
    """An empty POST from everyone: refused ones write nothing (each POST is rolled back)."""
    module = view.requirement.module
    failures = []
    before = _snapshot(target)
    with transaction.atomic():
        reference = _ask(senior, "POST", target.url, read=False, pdfs=pdfs)
        transaction.set_rollback(True)
    for person in world.people:
        expect = _expect(view, target, person)
        if expect is None:
            continue
        cell = _cell("POST", target, person, module)
        with transaction.atomic():
            answer = _ask(person, "POST", target.url, read=False, pdfs=pdfs)
            refused = expect.statuses is not None
            changes = _changes(before, _snapshot(target)) if refused else ""
            transaction.set_rollback(True)
        problem = _judge(expect, answer, reference, post=True, pair=pair)
        if problem:
            failures.append(f"{cell}: {problem}")
        if changes:
            failures.append(f"{cell}: refused, but the database changed: {changes}")
    return failures


def _judge(expect: Expect, answer: Answer, reference: Answer, *, post=False, pair=False) -> str:
    got = f"got {answer.status}" + (f" -> {answer.location}" if answer.location else "")
    got += f" {answer.error}" if answer.error else ""
    if answer.status >= 500:
        return f"expected {expect.reason}, {got}"
    if expect.statuses == {302}:
        return "" if _signs_in(answer) else f"expected a redirect to sign in, {got}"
    if expect.statuses is not None:
        if answer.status in expect.statuses:
            return ""
        wanted = " or ".join(str(s) for s in sorted(expect.statuses))
        return f"expected {wanted} ({expect.reason}), {got}"
    if reference.status >= 400 or (pair and answer.status == 404):
        return ""  # the senior account cannot use it either (state), or sees both of a pair
    if answer.status in (403, 404) or (not post and answer.status != reference.status):
        return f"expected {reference.status} like the senior account ({expect.reason}), {got}"
    return ""


# ---- what the matrix stands on ---------------------------------------------------------------


def test_the_allowlists_name_pages_that_exist():
    listed = {*PUBLIC_PAGES, *SIGNED_LINK_PAGES, *TWO_RECORD_PAGES}
    assert listed <= set(ROUTES), sorted(listed - set(ROUTES))
    assert {"lado:detail", "lado:report_download", "admin_home", "home"} <= set(ROUTES)


def test_every_field_that_looks_personal_is_searched_for_or_said_not_to_be():
    """A new record with a name, a date of birth or an address is searched for on readers'
    pages once it is listed in PERSONAL_FIELDS (or said not to be personal, and why)."""
    unlisted = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if not model.__module__.startswith("safeguarding.") or label.startswith("core."):
            continue
        searched = {f for spec in PERSONAL_FIELDS.get(label, ()) for f in spec.split("+")}
        for f in model._meta.concrete_fields:
            if f.is_relation or not LOOKS_PERSONAL.search(f.name):
                continue
            if f.name not in searched and f"{label}.{f.name}" not in NOT_PERSONAL:
                unlisted.append(f"{label}.{f.name}")
    assert not unlisted, f"list these in PERSONAL_FIELDS or NOT_PERSONAL: {unlisted}"


def test_the_demo_has_each_role_the_matrix_needs(world, db):
    """Without a reader, a contributor (of two agencies somewhere) and an officer or manager in
    every module, whole columns of the matrix would go unchecked."""
    from safeguarding.core.permissions import grantable_modules

    people = [p for p in world.people if p.user is not None]
    for module in grantable_modules():
        roles = {p.role(module) for p in people}
        assert {"reader", "contributor"} <= roles, f"{module}: {roles}"
        assert roles & {"officer", "manager"}, f"{module}: {roles}"
    assert any(
        len({p.agency_id for p in people if p.role(m) == "contributor"}) > 1
        for m in grantable_modules()
    )
    assert [p for p in people if p.is_admin and not any(p.role(m) for m in grantable_modules())]
    assert world.personal.needles, "the demo partnership has personal data to look for"


def test_an_administrator_cannot_give_itself_a_role(world, db):
    """The administrator posts every administration form about its own account as the page
    shows it, with the highest role of every module chosen: it still holds none."""
    from safeguarding.core.models import User
    from safeguarding.core.permissions import MODULES

    from .forms_on_page import forms_on

    admin = world.admin.user
    client = Client()  # its own: a form posted here must not sign out the matrix's client
    client.force_login(admin)
    own = [
        n
        for n, (route, view) in ROUTES.items()
        if view.requirement.module is None
        and getattr(view, "record", None) is User
        and "POST" in view.allowed_methods
        and "pk" in _kwargs_of(route)
    ]
    assert "user_edit" in own
    tried = 0
    for name in own:
        url = reverse(name, kwargs={"pk": admin.pk})
        page = client.get(url)
        assert page.status_code == 200, f"{name}: the administrator cannot open its own page"
        for form in forms_on(page.content.decode()):
            if form.method != "post" or form.action not in ("", url):
                continue  # the header's sign-out
            data = form.data()
            for select in form.options:
                if select.startswith("grant_"):
                    data[select] = ["manager"]
            with transaction.atomic():
                client.post(url, data)
                fresh = User.objects.get(pk=admin.pk)
                held = {m: role(fresh, m) for m in MODULES if role(fresh, m)}
                transaction.set_rollback(True)
            tried += 1
            assert not held, f"{name}: the administrator gave itself {held}"
    assert tried, "no administration form about the administrator's own account"
