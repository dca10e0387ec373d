"""The children list, declared once: core builds its page and search from this (urls.py
adds REGISTER.urls()). Children have no import, figures or worklist of their own (the
modules that record them do). Nobody is granted "children": a user's role here is their
role in the modules that record children (apps.py, ``role_from``).
"""

from safeguarding.core.registers import Column, Link, Register, register

from . import hooks, queries
from .models import Child

OWN_COLUMNS = (
    Column("Name", "display_name", link=True),
    Column("Reference", "external_reference", nowrap=True),
    Column("Date of birth", "date_of_birth", nowrap=True),
    Column("Looked after", '{{ row.looked_after|yesno:"Yes,No" }}'),
)


def columns():
    """The child's own columns, then one per module count (hooks.counts), read when the page
    is drawn: the modules register their counts at start-up, after this file."""
    return OWN_COLUMNS + tuple(Column(label, name) for label, name in hooks.count_columns())


REGISTER = register(
    Register(
        slug="children",
        label="Children",
        module="children",
        model=Child,
        records=queries.child_list,
        search_label="Search by name or the child's reference",
        list_title="Children",
        list_caption="Children recorded, by name",
        columns=columns,
        create_label="Add a child",
        links=(Link("Possible duplicates", "duplicates", action="configure"),),
    )
)
