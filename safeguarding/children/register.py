"""The children list, declared once: core builds its page and search from this (urls.py
adds REGISTER.urls()). Children have no import, figures or worklist of their own (the
modules that record them do).

Not put in core's registry (``register()``): nobody holds a grant in "children" (a user's
role here is their role in the modules that record children, apps.py), and the registry's
contract tests grant a register's own module. Registered, it would also offer
``safeguarding import children`` and ``report children``, which do not exist.
"""

from safeguarding.core.registers import Column, Link, Register

from . import hooks, queries
from .models import Child

OWN_COLUMNS = (
    Column("Name", "display_name", link=True),
    Column("Reference", "external_reference", nowrap=True),
    Column("Date of birth", "date_of_birth", nowrap=True),
    Column("Looked after", '{{ row.looked_after|yesno:"Yes,No" }}'),
)


class Columns:
    """The child's own columns, then one per module count (hooks.counts). Read when the
    page is drawn: the modules register their counts at start-up, after this file."""

    def __iter__(self):
        yield from OWN_COLUMNS
        for label, name in hooks.count_columns():
            yield Column(label, name)

    def __len__(self) -> int:
        return len(OWN_COLUMNS) + len(hooks.counts)


REGISTER = Register(
    slug="children",
    label="Children",
    module="children",
    model=Child,
    records=queries.child_list,
    search_label="Search by name or the child's reference",
    list_title="Children",
    list_caption="Children recorded, by name",
    columns=Columns(),
    create_label="Add a child",
    links=(Link("Possible duplicates", "duplicates", action="configure"),),
)
