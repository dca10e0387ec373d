from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "safeguarding.actions"
    label = "actions"
    verbose_name = "Action plans"
