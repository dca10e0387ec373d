"""The children list, declared once: core builds its page and search from this (urls.py
adds REGISTER.urls()). Children have no import, figures or worklist of their own (the
modules that record them do). Nobody is granted "children": a user's role here is their
role in the modules that record children (apps.py, ``role_from``).
"""

from safeguarding.core.registers import Column, Link, Records, Register, register

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
        model=Child,
        records=Records(
            query=queries.child_list,
            title="Children",
            columns=columns,
            search="Search by name or the child's reference",
            caption="Children recorded, by name",
            create="Add a child",
            links=(Link("Possible duplicates", "duplicates", action="configure"),),
        ),
    )
)
