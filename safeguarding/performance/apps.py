from safeguarding.core import modules


class PerformanceConfig(modules.ModuleConfig):
    name = "safeguarding.performance"
    label = "performance"
    verbose_name = "Performance framework"
    records_url = "performance:returns"
    figures_url = "performance:dashboard"
