"""Persian wording of the registry's answers."""

from integrations.registry.base import PairingProblem


def pairing_message(problem: PairingProblem, number_label: str = "شماره درخواست یا گواهی") -> str:
    if problem is PairingProblem.UNKNOWN_CODE:
        return "این کدنوسازی در سامانه شهرداری یافت نشد؛ آن را دوباره بررسی کنید."
    # Unknown and someone else's number read the same: the page must not reveal
    # which numbers exist for other properties.
    return f"این {number_label} برای این کدنوسازی ثبت نشده است؛ هر دو را دوباره بررسی کنید."
