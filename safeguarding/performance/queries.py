"""Performance reads, limited to what the user may see."""

from django.db.models import Count, Q

from safeguarding.core.permissions import scoped

from .models import DataReturn


def return_list(*, user, period: str | None = None, status: str | None = None):
    returns = scoped(user, "performance", DataReturn.objects.select_related("owning_agency"))
    if period:
        returns = returns.filter(period=period)
    if status:
        returns = returns.filter(status=status)
    return returns.annotate(entered=Count("values", filter=Q(values__isnull=False))).order_by(
        "-period", "owning_agency__name"
    )


def return_get(*, user, pk: int) -> DataReturn:
    return scoped(user, "performance", DataReturn.objects.select_related("owning_agency")).get(
        pk=pk
    )
