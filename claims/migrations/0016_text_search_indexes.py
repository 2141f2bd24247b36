"""Trigram indexes for the `q` text filters on PostgreSQL: `text__icontains` compiles to
`UPPER(text) LIKE UPPER('%word%')`, which otherwise reads every claim (190 ms at 100,000
claims, bench/load.py); with a GIN trigram index on UPPER(text) it takes about 1 ms.
SQLite keeps its plain scan. Without the right to create the pg_trgm extension the
migration says so and goes on: search still works, only slower."""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)

INDEXES = [
    ("claims_claim_text_trgm", "claims_claim", "text"),
    ("claims_appearance_quote_trgm", "claims_appearance", "quote"),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        log.warning("pg_trgm unavailable (%s): text search will scan every row", error)
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (upper({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _, _ in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_articlecheck_suggestions_owed")]

    operations = [migrations.RunPython(add_indexes, drop_indexes)]
