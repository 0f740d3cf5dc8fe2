"""What the staff views share: page numbers, CSV columns."""

from cases.display import jalali


def page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def case_columns():
    return [
        ("شماره پیگیری", lambda c: c.tracking_number),
        ("خدمت", lambda c: c.get_service_display()),
        ("وضعیت", lambda c: c.get_status_display()),
        # Where the case waits (queries.with_open_step), titled by its flow's node.
        ("گام", lambda c: c.open_step.task_title if c.open_step else ""),
        ("تاریخ ثبت", lambda c: jalali(c.registered_at, "datetime")),
        ("کدنوسازی", lambda c: c.property.renovation_code if c.property else ""),
        ("منطقه", lambda c: c.property.district.name if c.property else ""),
        ("نشانی", lambda c: c.property.address if c.property else ""),
        ("متقاضی", lambda c: c.citizen.get_full_name()),
        ("تلفن", lambda c: c.contact_phone),
    ]


def task_columns():
    return [
        ("شماره پیگیری", lambda t: t.process.caseprocess.case.tracking_number),
        ("گام", lambda t: t.flow_task.task_title),
        ("ایجاد", lambda t: jalali(t.created, "datetime")),
        ("کارشناس", lambda t: (t.owner.get_full_name() or t.owner.username) if t.owner else ""),
        ("منطقه", lambda t: t.process.caseprocess.case.property.district.name
         if t.process.caseprocess.case.property else ""),
        ("نشانی", lambda t: t.process.caseprocess.case.property.address
         if t.process.caseprocess.case.property else ""),
    ]
