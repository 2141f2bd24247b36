from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        from claims import receivers  # noqa: F401  (connects the signal receivers)
        from claimtrack import authentication, checks  # noqa: F401

        # (checks: the deploy check of the CSP; authentication: the OpenAPI description of
        # the token scheme registers itself on import)
