"""Routes of the claims side of the API, registered on the project's router."""


def register(router) -> None:
    pass


urlpatterns: list = []  # endpoints outside the router (the change feed)
