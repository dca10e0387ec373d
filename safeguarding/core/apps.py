from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeguarding.core"
    label = "core"
    verbose_name = "Partnership platform"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects sign-in events to the audit log)
