from safeguarding.core import modules


class LadoConfig(modules.ModuleConfig):
    name = "safeguarding.lado"
    label = "lado"
    verbose_name = "LADO allegations"
    records_url = "lado:list"
    figures_url = "lado:report"
