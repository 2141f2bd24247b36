"""What the articles side tells the rest of the project.

`article_stored` is sent by `article_create` inside its transaction, after the row is
written. Receivers (the claims side's re-check) record their own follow-up work in the
same transaction, so nothing is lost if a broker is down; `articles` itself knows
nothing about claims.
"""

from django.dispatch import Signal

# Sent with `article` (the stored Article).
article_stored = Signal()

# Sent with `article` (its new text already saved) and `previous_text` inside the
# transaction that stored a changed version of the article.
article_revised = Signal()
