"""The one-query permissions backend grants what Django's own ModelBackend grants."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Permission

from claimtrack.auth_backends import OneQueryModelBackend
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache


@pytest.mark.parametrize("role", ["journalist", "editor", "reader", "outsider"])
def test_same_permissions_as_djangos_backend_in_one_query(role, request, django_assert_num_queries):
    user = request.getfixturevalue(role)
    direct = Permission.objects.order_by("pk").last()
    user.user_permissions.add(direct)
    fresh = _fresh(user)
    OneQueryModelBackend().get_all_permissions(_fresh(user))  # prepares it (PostgreSQL)
    with django_assert_num_queries(1):
        ours = OneQueryModelBackend().get_all_permissions(fresh)
    assert ours == ModelBackend().get_all_permissions(_fresh(user))
    assert f"{direct.content_type.app_label}.{direct.codename}" in ours
    if role == "editor":
        assert "claims.set_claim_status" in ours  # through the group


def test_superusers_have_all_and_inactive_or_anonymous_none(django_user_model, journalist):
    boss = django_user_model.objects.create_superuser("boss", password="x-long-password")
    every = OneQueryModelBackend().get_all_permissions(_fresh(boss))
    assert len(every) == Permission.objects.count()
    journalist.is_active = False
    journalist.save()
    assert OneQueryModelBackend().get_all_permissions(_fresh(journalist)) == set()
    assert OneQueryModelBackend().get_all_permissions(AnonymousUser()) == set()
    assert not _fresh(journalist).has_perm("claims.add_claim")


def test_a_permission_taken_away_is_gone_on_the_next_request(journalist):
    client = api_client(journalist)
    assert client.get("/api/v1/claims/", secure=True).status_code == 200
    for group in journalist.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_claim"))
    assert client.get("/api/v1/claims/", secure=True).status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # closes its connection
def test_the_permission_query_is_prepared_once_per_connection(journalist):
    """On PostgreSQL it runs as a prepared statement; a new connection (the old one
    closed, or lost) prepares it again."""
    from django.db import connection

    expected = ModelBackend().get_all_permissions(_fresh(journalist))
    for _ in range(2):
        assert OneQueryModelBackend().get_all_permissions(_fresh(journalist)) == expected
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT name FROM pg_prepared_statements")
                assert [row[0] for row in cursor.fetchall()] == ["claimtrack_user_permissions"]
        connection.close()
