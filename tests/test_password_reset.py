"""Password resets: by email only where a mail server is configured; otherwise the pages
say to ask an administrator, and nothing is sent or promised."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def someone(django_user_model):
    return django_user_model.objects.create_user(
        "someone", email="someone@example.org", password="old-password-1234"
    )


def test_without_a_mail_server_the_pages_say_to_ask_an_administrator(client, someone, settings):
    settings.EMAIL_HOST = ""
    assert "Forgotten your password?" in client.get("/accounts/login/", secure=True).text
    for answer in [
        client.get("/accounts/password_reset/", secure=True),
        client.post("/accounts/password_reset/", {"email": "someone@example.org"}, secure=True),
        client.get("/accounts/password_reset/done/", secure=True),
        client.get("/accounts/reset/MQ/set-password/", secure=True),
        client.get("/accounts/reset/done/", secure=True),
    ]:
        assert answer.status_code == 200
        assert "Ask an administrator" in answer.text and "changepassword" in answer.text
    assert mail.outbox == []


def test_with_a_mail_server_a_reset_link_sets_a_new_password(client, someone, settings):
    settings.EMAIL_HOST = "mail.example.org"  # tests keep mail in memory (locmem backend)
    answer = client.post("/accounts/password_reset/", {"email": "someone@example.org"}, secure=True)
    assert answer.status_code == 302 and answer.url.endswith("/accounts/password_reset/done/")
    assert [message.to for message in mail.outbox] == [["someone@example.org"]]
    link = re.search(r"https://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True, secure=True)
    assert form.status_code == 200
    new = "a-new-password-5678"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        follow=True,
        secure=True,
    )
    assert done.status_code == 200
    someone.refresh_from_db()
    assert someone.check_password(new)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, someone, settings):
    settings.EMAIL_HOST = "mail.example.org"
    answer = client.post("/accounts/password_reset/", {"email": "nobody@example.org"}, secure=True)
    assert answer.status_code == 302  # no telling which addresses have accounts
    assert mail.outbox == []
