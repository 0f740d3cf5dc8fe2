from django.dispatch import Signal

# Sent after the transaction that settled a debt commits, with `payment=`. The flow
# listens to move the case on (e.g. Case.settle_fees); the domain does not know flows.
payment_settled = Signal()
