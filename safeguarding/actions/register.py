"""The action tracker's register: no import and no year report of its own (each source's
report counts its actions); it gives the home worklist the actions falling due."""

from safeguarding.core.registers import Register, register

from . import queries

REGISTER = register(
    Register(
        slug="actions",
        label="Action plans",
        module="actions",
        worklist=lambda user, today: queries.action_worklist(user=user, today=today),
    )
)
