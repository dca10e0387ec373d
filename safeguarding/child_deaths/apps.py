from safeguarding.core import modules


class ChildDeathsConfig(modules.ModuleConfig):
    name = "safeguarding.child_deaths"
    label = "child_deaths"
    verbose_name = "Child death reviews"
    records_url = "child_deaths:list"
    figures_url = "child_deaths:report"
