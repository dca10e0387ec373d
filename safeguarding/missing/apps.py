from safeguarding.core import modules


class MissingConfig(modules.ModuleConfig):
    name = "safeguarding.missing"
    label = "missing"
    verbose_name = "Missing, exploited and trafficked children"
    records_url = "missing:list"
    figures_url = "missing:report"
