from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "safeguarding.missing"
    label = "missing"
