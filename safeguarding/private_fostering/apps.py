from django.apps import AppConfig


class PrivateFosteringConfig(AppConfig):
    name = "safeguarding.private_fostering"
    label = "private_fostering"
