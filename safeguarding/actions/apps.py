from safeguarding.core import modules


class ActionsConfig(modules.ModuleConfig):
    name = "safeguarding.actions"
    label = "actions"
    verbose_name = "Action plans"
    records_url = "actions:list"
    figures_url = "actions:figures"
