"""The change history as people read it (core/history.py)."""

from django import template

from .. import history

register = template.Library()


@register.simple_tag
def readable_history(events):
    """``{% readable_history history as events %}``: each event with its
    ``readable_changes`` (labels and display values), named in one pass for the page."""
    return history.readable(events)
