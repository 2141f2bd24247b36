"""The `q` filters find words anywhere in the text, in any case; on PostgreSQL a trigram
index answers them, so a search does not read every claim."""

import pytest
from django.db import connection

from claims.models import Claim
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_q_finds_words_in_any_case_and_all_of_them(journalist, as_role):
    wanted = make_claim(journalist, text="The ECONOMY grew by three per cent.")
    make_claim(journalist, text="The economy shrank.")
    make_claim(journalist, text="Nothing to see.")
    found = as_role("reader").get("/api/v1/claims/?q=economy+grew", secure=True).json()
    assert [row["id"] for row in found["results"]] == [wanted.pk]


def test_on_postgresql_trigram_indexes_answer_the_text_filters(journalist):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        indexes = dict(cursor.fetchall())
    assert "gin (upper(text) gin_trgm_ops)" in indexes["claims_claim_text_trgm"]
    assert "gin (upper(quote) gin_trgm_ops)" in indexes["claims_appearance_quote_trgm"]
    # The filter's own condition, as Django writes it, can use the index (the planner
    # is kept off a sequential scan: the table here is tiny).
    where = Claim.all_objects.filter(text__icontains="economy").values("id")
    sql, params = where.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claims_claim_text_trgm" in plan, plan
