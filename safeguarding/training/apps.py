from safeguarding.core import modules


class TrainingConfig(modules.ModuleConfig):
    name = "safeguarding.training"
    label = "training"
    verbose_name = "Multi-agency training"
    records_url = "training:sessions"
    figures_url = "training:report"
