from safeguarding.core import modules


class ChildrenConfig(modules.ModuleConfig):
    """The shared child record. Granted to nobody directly: a user's role here is their
    highest role in the modules that record children. Which children they see follows the
    records naming each child (queries.visible_children): a missing-register officer sees
    no child named only by a case review. No link of its own in the menu (the missing
    episodes list leads to it)."""

    name = "safeguarding.children"
    label = "children"
    verbose_name = "Children (shared record)"
    role_from = ("missing", "case_reviews")
