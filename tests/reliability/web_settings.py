"""The production settings for the fault tests' gunicorn, but for static files, found in
place instead of in a `collectstatic` manifest (as tests/conftest.py does in-process)."""

from claimtrack.settings import *  # noqa: F403
from claimtrack.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
