"""The AppConfig of a domain module: declared once, it registers the module's navigation and
grants, then imports the module's ``register.py``, whose Register declarations core turns
into pages, commands, worklist items and annual-report chapters (core/registers.py)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig


class ModuleConfig(AppConfig):
    """Subclass it as ``modules.ModuleConfig`` (import the module, not the class), so that
    Django finds one AppConfig in the app's apps.py."""

    records_url: str = ""  # the first page of a contributor and up ("" = none in the menu)
    figures_url: str = ""  # the first page of a reader
    role_from: tuple[str, ...] = ()  # a module without grants of its own takes these roles

    def ready(self) -> None:
        from .permissions import register_module

        register_module(
            self.label,
            str(self.verbose_name),
            records_url=self.records_url,
            figures_url=self.figures_url,
            role_from=self.role_from,
        )
        if find_spec(f"{self.name}.register"):
            import_module(f"{self.name}.register")
