"""The change history as people read it: labels and display values, never field names,
codes or JSON.

An audit row stores ``{field: [old, new]}`` as JSON (core/audit.py): ISO dates, choice
codes, booleans, names or ids of related records, lists. ``readable()`` turns the rows of
one page into sentences once, when they are shown, from the audited object's model
(``object_type`` is its ``app_label.model_name``): the field's label, its choices, its type.
A key the model does not have (a module's own note such as ``"first meeting"``, or an
old field) gets a humanised name and a value shown by its own type.

Related records stored by id are named with one query per related model for the whole
page, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from .permissions import MODULES

BLANK = "(blank)"
NO_ROLE = "no role"

# Labels the model's verbose names do not give: what the forms call these fields.
LABELS: dict[str, dict[str, str]] = {
    "core.user": {
        "email": "Work email address",
        "is_active": "Can sign in",
        "is_partnership_admin": "Partnership administrator",
    },
    "core.agency": {"name": "Agency name", "is_active": "Active"},
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ATTRIBUTE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Change:
    """One line of the history: ``old`` is None when the record was created by the event
    (then only the new value is shown)."""

    label: str
    old: str | None
    new: str


def humanise(name: str) -> str:
    """``"first_meeting"`` -> ``"First meeting"``; capitals after the first letter stay
    (``"MET risk level"``)."""
    return capfirst(name.replace("_", " ").strip()) or name


def join_words(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``; semicolons between items that hold commas
    themselves (``"Police, Central BCU; Health and Education"``)."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    separator = "; " if any("," in i for i in items) else ", "
    return f"{separator.join(items[:-1])} and {items[-1]}"


def format_date(value: dt.date) -> str:
    return date_format(value, "j F Y")  # 3 May 2016


def format_datetime(value: dt.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{format_date(value)} at {value:%H:%M}"


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _own_field(model, name: str) -> models.Field | None:
    """A field of the model itself (not a reverse relation)."""
    if model is None or not _ATTRIBUTE.match(name):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return None if isinstance(field, ForeignObjectRel) else field


def _related_field(model, prefix: str, name: str) -> models.Field | None:
    """``"interview offered_at"`` on an episode: the ``offered_at`` field of the related
    record the prefix names (by its accessor or its model's name)."""
    if model is None:
        return None
    wanted = prefix.lower()
    for relation in model._meta.get_fields():
        related = getattr(relation, "related_model", None)
        if related is None or related is model:
            continue
        if isinstance(relation, ForeignObjectRel):
            accessor = relation.get_accessor_name() or ""
        else:
            accessor = relation.name
        names = {
            accessor.lower(),
            accessor.lower().rstrip("s"),
            related._meta.model_name,
            str(related._meta.verbose_name).lower(),
        }
        if wanted in names and (field := _own_field(related, name)) is not None:
            return field
    return None


@dataclass
class _Line:
    label: str
    field: models.Field | None
    role: bool  # a module grant: the value is a role
    pair: list


def _line(model, object_type: str, key: str, pair) -> _Line:
    pair = list(pair) if isinstance(pair, list | tuple) and len(pair) == 2 else [None, pair]
    if key.startswith("grant:"):
        module = key.split(":", 1)[1]
        return _Line(MODULES.get(module) or humanise(module), None, True, pair)
    label = LABELS.get(object_type, {}).get(key)
    field = _own_field(model, key)
    if field is not None:
        return _Line(label or capfirst(str(field.verbose_name)), field, False, pair)
    prefix, _, rest = key.partition(" ")
    if rest and (field := _related_field(model, prefix, rest)) is not None:
        return _Line(label or f"{capfirst(prefix)} {field.verbose_name}", field, False, pair)
    return _Line(label or humanise(key), None, False, pair)


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Names:
    """Names of related records stored by id: collected first, then one query per model."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set[int]] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], int], str] = {}

    def want(self, field: models.Field | None, value) -> None:
        if field is None or not field.is_relation or field.related_model is None:
            return
        for item in value if isinstance(value, list) else [value]:
            if _is_id(item):
                self.wanted[field.related_model].add(item)

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            for obj in model._base_manager.filter(pk__in=ids):
                self.found[(model, obj.pk)] = str(obj)

    def name(self, field: models.Field, value: int) -> str:
        model = field.related_model
        return self.found.get((model, value)) or f"{model._meta.verbose_name} {value}"


def _choices(field: models.Field | None) -> dict:
    if field is None:
        return {}
    choices = getattr(field, "flatchoices", None) or []
    return {k: v for k, v in choices if k not in ("", None)}


def _extra_choices(field: models.Field | None) -> dict:
    """A model may name the values its field's own choices cannot hold (a list of codes in
    a JSONField): ``HISTORY_CHOICES = {"field": [(code, label), ...]}`` on the model."""
    if field is None or getattr(field, "model", None) is None:
        return {}
    return dict(getattr(field.model, "HISTORY_CHOICES", {}).get(field.name, ()))


def _decimal(value) -> str:
    """``"4.0000"`` -> ``"4"``, ``"65.10"`` -> ``"65.1"``."""
    try:
        text = format(Decimal(str(value)), "f")
    except (InvalidOperation, ValueError):
        return str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text(value) -> str:
    """A value by its own type, for keys no field describes."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        if _ISO_DATE.match(value) and (date := parse_date(value)):
            return format_date(date)
        if _ISO_DATETIME.match(value):
            try:
                moment = parse_datetime(value)
            except ValueError:
                moment = None
            if moment is not None:
                return format_datetime(moment)
    return str(value)


def _display(value, line: _Line, names: _Names, model_choices: dict) -> str:
    if value is None or value == "" or value == []:
        return NO_ROLE if line.role else BLANK
    if isinstance(value, list):
        return join_words([_display(v, line, names, model_choices) for v in value])
    if isinstance(value, dict):
        return "; ".join(f"{humanise(str(k))}: {_text(v)}" for k, v in value.items())
    field = line.field
    if field is None:
        return _text(value)
    if field.is_relation:
        return names.name(field, value) if _is_id(value) else str(value)
    choices = model_choices or _choices(field)
    if choices and not isinstance(value, bool):
        try:
            if value in choices:
                return str(choices[value])
        except TypeError:  # an unhashable value
            pass
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        return format_datetime(moment) if moment else value
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            date = parse_date(value)
        except ValueError:
            date = None
        return format_date(date) if date else value
    if isinstance(field, models.DecimalField):
        return _decimal(value)
    return _text(value)


def readable(events) -> list:
    """The events (an audit queryset or list), each given ``readable_changes``: a list of
    ``Change`` in the order they were stored. One pass plans every line, one query per
    related model names the records stored by id, a second pass writes the values."""
    events = list(events) if events is not None else []
    names = _Names()
    planned = []
    for event in events:
        model = _model(event.object_type)
        lines = [
            _line(model, event.object_type, str(key), pair)
            for key, pair in (event.changes or {}).items()
        ]
        for line in lines:
            for value in line.pair:
                names.want(line.field, value)
        planned.append((event, lines))
    names.fetch()
    for event, lines in planned:
        # A record's first event (no old values) shows the values it started with.
        created = bool(lines) and all(line.pair[0] is None for line in lines)
        changes = []
        for line in lines:
            if created and line.pair[1] in (None, "", []):
                continue  # a new record's empty fields say nothing
            old, new = (_display(v, line, names, _extra_choices(line.field)) for v in line.pair)
            changes.append(Change(line.label, None if created else old, new))
        event.readable_changes = changes
    return events
