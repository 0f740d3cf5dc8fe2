"""Tie a wizard step's messages to the field they are about (see wizard.Problem)."""


def errors_for(errors, target: str) -> list[str]:
    """The messages among `errors` that belong to the field with id `target`."""
    return [e for e in errors or [] if getattr(e, "target", "") == target]
