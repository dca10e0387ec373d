from django import template

register = template.Library()


@register.filter
def pct(part, whole) -> str:
    """Share as a percentage to one decimal place; an en dash when the whole is 0."""
    try:
        part, whole = float(part), float(whole)
    except (TypeError, ValueError):
        return "–"
    if not whole:
        return "–"
    return f"{100 * part / whole:.1f}%"


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
