from safeguarding.core import modules


class PrivateFosteringConfig(modules.ModuleConfig):
    name = "safeguarding.private_fostering"
    label = "private_fostering"
    verbose_name = "Private fostering"
    records_url = "private_fostering:list"
    figures_url = "private_fostering:report"
