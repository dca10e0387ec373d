from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "safeguarding.actions"
    label = "actions"
    verbose_name = "Action plans"

    def ready(self) -> None:
        from safeguarding.core.permissions import register_module

        register_module(
            "actions", "Action plans", records_url="actions:list", figures_url="actions:figures"
        )
