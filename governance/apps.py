from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance library"

    def ready(self):
        from governance import signals

        signals.connect()
