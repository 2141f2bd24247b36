"""What the claims services announce, for follow-up work that runs after commit."""

from django.dispatch import Signal

# Sent with `claim` inside the transaction that created it or changed its wording.
claim_text_changed = Signal()

# Sent with `event` (a ChangeEvent) inside the transaction that recorded it.
change_recorded = Signal()
