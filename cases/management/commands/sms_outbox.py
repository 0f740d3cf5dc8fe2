"""Print the SMS outbox: one message per line, newest first (a contract, see DESIGN.md).

Each line is the phone number, the status and the whole text, tab-separated; line
breaks in the text become " / " so that one message stays on one line.
"""

import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.identity import normalize_mobile
from integrations.sms.models import OutboxMessage

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def outbox_line(message: OutboxMessage) -> str:
    text = _LINE_BREAK.sub(" / ", message.body).replace("\t", " ")
    return f"{message.to}\t{message.status}\t{text}"


class Command(BaseCommand):
    help = "Show the latest SMS outbox messages: phone, status and text, newest first."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=20, help="how many (default 20)")
        parser.add_argument("--to", default="", help="only messages to this mobile number")

    def handle(self, *args, limit: int, to: str, **options) -> None:
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        messages = OutboxMessage.objects.order_by("-created_at", "-id")
        if to:
            try:
                messages = messages.filter(to=normalize_mobile(to))
            except ValidationError as exc:
                raise CommandError(f"--to is not a mobile number: {to}") from exc
        for message in messages[:limit]:
            self.stdout.write(outbox_line(message))
