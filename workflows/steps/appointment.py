"""The inspection appointment: a Jalali calendar of free hours, the owner's mobile,
and the SMS code that confirms it (دریافت کد تایید / کد تاییدیه)."""

from functools import cached_property

from cases.appointments import services as appointments
from cases.appointments.availability import calendar, parse_starts_at
from cases.drafts import keep_contact_phone
from cases.phone_codes.services import check_code, send_code, verified_phone
from ops.client_address import client_address

from ..wizard import Problem, StepView

# The ids of the fields a message is about: the error summary links to them.
CALENDAR, PHONE, CODE = "visit-calendar", "id_phone", "id_code"


class AppointmentView(StepView):
    template_name = "wizard/appointment.html"

    # Read once per request (the page, its checks and its actions all ask), and read again
    # after an action that changes them.
    @cached_property
    def verified(self) -> str | None:
        return verified_phone(self.case)

    @cached_property
    def live(self):
        return appointments.current(self.case)

    def forget(self) -> None:
        self.__dict__.pop("verified", None)
        self.__dict__.pop("live", None)

    def selected(self):
        return parse_starts_at(self.request.POST.get("starts_at", "")) if self.request.method == "POST" else None

    def phone(self) -> str:
        if self.request.method == "POST":
            return self.request.POST.get("phone", "").strip()
        return self.verified or self.case.contact_phone

    def get_context(self):
        return {
            "days": calendar(self.case.property.district_id, case=self.case,
                             selected=self.selected() or (self.live and self.live.slot.starts_at),
                             hold_known=True),
            "phone": self.phone(),
            "verified": bool(self.verified),
            "appointment": self.live,
        }

    def problems(self):
        problems = []
        if not self.verified:
            problems.append(
                Problem("شماره تماس را با «دریافت کد تایید» و «کد تاییدیه» تایید کنید.", PHONE)
            )
        if self.live is None:
            problems.append(Problem("تاریخ و ساعت بازدید را انتخاب کنید.", CALENDAR))
        return problems

    def _hold_selected(self) -> bool:
        starts_at = self.selected()
        if starts_at is None:
            self.errors.append(Problem("تاریخ و ساعت بازدید را انتخاب کنید.", CALENDAR))
            return False
        live = self.live
        if live is not None and live.slot.starts_at == starts_at:
            return True
        try:
            appointments.hold(self.case, starts_at)
            self.forget()
        except appointments.SlotUnavailable as refused:
            self.errors.append(Problem(refused.message, CALENDAR))
            return False
        return True

    def action_send_code(self):
        if self.selected() is None:
            self.errors.append(Problem("ابتدا تاریخ و ساعت بازدید را انتخاب کنید.", CALENDAR))
            return None
        outcome = send_code(self.case, self.phone(), client_address(self.request))
        self.forget()
        if outcome.ok:
            self.notices.append(outcome.message)
        else:
            self.errors.append(Problem(outcome.message, PHONE))
        return None

    def action_check_code(self):
        outcome = check_code(self.case, self.phone(), self.request.POST.get("code", ""))
        self.forget()
        if not outcome.ok:
            self.errors.append(Problem(outcome.message, CODE))
            return None
        keep_contact_phone(self.case, self.phone())
        # DESIGN.md: the slot is held from the moment the phone is verified.
        if self._hold_selected():
            self.notices.append(outcome.message)
        return None

    def save_input(self):
        # A verified citizen who picks another hour gets it held on گام بعدی.
        if self.verified and self.selected() is not None:
            self._hold_selected()
