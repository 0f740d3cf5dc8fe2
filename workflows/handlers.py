"""Automatic steps both flows share (plain functions: a subclassed Flow keeps its
parent's node links, so flows share helpers, not nodes)."""


def archive_case(activation) -> None:
    """The last step of a served request: بایگانی دائم."""
    case = activation.process.case
    case.archive()
    case.save()
