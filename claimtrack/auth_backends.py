"""Django's model permissions backend, reading a user's own and group permissions in one
query instead of two, compiled once per process. Every API request checks a permission:
the second query and the ORM building both anew were a third of a claims list's time
(bench/load.py). The rules are Django's: inactive and anonymous users have none,
superusers have all, object permissions are not used."""

import weakref
from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection

_ANY_USER = -7_319_024  # stands for the user's id while the query is compiled


@cache
def _permissions_query() -> tuple[str, tuple]:
    """SQL and parameters of (app label, codename) of every permission the placeholder
    user holds directly or through a group."""
    fields = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user__pk=_ANY_USER).order_by().values_list(*fields)
    via_groups = Permission.objects.filter(group__user__pk=_ANY_USER).order_by()
    union = own.union(via_groups.values_list(*fields))
    sql, params = union.query.get_compiler(connection=connection).as_sql()
    if set(params) != {_ANY_USER} or sql.count("%s") != len(params):
        raise AssertionError(f"the user's id is not the query's only parameter: {params}")
    return sql, tuple(params)


# The database connections on which the permission query is a prepared statement.
_PREPARED_ON: weakref.WeakSet = weakref.WeakSet()
_STATEMENT = "claimtrack_user_permissions"


def _permission_rows(user_id: int) -> list[tuple[str, str]]:
    sql, params = _permissions_query()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, [user_id for _ in params])
            return cursor.fetchall()
        # Django binds parameters on the client, so PostgreSQL plans every query anew;
        # planning this one took three times as long as running it (0.32 of 0.43 ms a
        # request). Prepared once per connection, it is only run. (A pooler that
        # shares server sessions between clients, as PgBouncer's transaction mode does,
        # needs its prepared-statement support turned on.)
        raw = connection.connection
        if raw not in _PREPARED_ON:
            cursor.execute(f"PREPARE {_STATEMENT}(bigint) AS {sql.replace('%s', '$1')}")
            _PREPARED_ON.add(raw)
        cursor.execute(f"EXECUTE {_STATEMENT}(%s)", [user_id])
        return cursor.fetchall()


class OneQueryModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                rows = _permission_rows(user_obj.pk)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
