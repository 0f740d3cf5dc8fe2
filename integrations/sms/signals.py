from django.dispatch import Signal

# Sent with `message=` (an OutboxMessage) and `previous=` (its former status) after
# a status change is committed, so the domain can note it on the case timeline.
sms_status_changed = Signal()
