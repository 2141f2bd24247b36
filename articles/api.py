"""The articles side of the REST API: articles and sources."""


def register(router) -> None:
    pass
