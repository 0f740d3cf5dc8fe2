"""A citizen's old tab of their own case, in a real browser.

The citizen opens the apartment step in one tab and goes on in another. The first tab
now shows a step that is no longer open: pressing its buttons changes nothing and says
so, and reloading it lands on the step the case is at now, with the same notice.
"""

from __future__ import annotations

from playwright.sync_api import expect

from cases.models import Case
from tests.support.browser import green_notice, log_in, next_step
from tests.support.transfer_driver import A

NOTICE = "این صفحه مربوط به گامی است که اکنون باز نیست"


def test_an_old_tab_of_the_citizens_case_leads_to_its_current_step(demo, site, browser):
    context, old_tab = log_in(browser, site, "citizen")
    old_tab.get_by_role("link", name="خدمات اختصاصی").first.click()
    old_tab.get_by_role("link", name="درخواست انتقال").click()
    old_tab.get_by_role("link", name="ثبت درخواست جدید").click()
    old_tab.get_by_label("تأیید").check()
    next_step(old_tab)
    expect(old_tab.get_by_role("heading", name="انتخاب آپارتمان")).to_be_visible()
    apartment_url = old_tab.url

    # The same step in a second tab, taken forward to the documents.
    new_tab = context.new_page()
    new_tab.goto(apartment_url)
    new_tab.get_by_label("کدنوسازی").fill(A[0])
    new_tab.get_by_label("شماره درخواست یا گواهی").fill(A[1])
    new_tab.get_by_role("button", name="جستجو").click()
    expect(green_notice(new_tab, "مطابقت دارد")).to_be_visible()
    next_step(new_tab)
    expect(new_tab.get_by_role("heading", name="بارگذاری مدارک")).to_be_visible()
    case = Case.objects.get(citizen__username="citizen")
    property_before = case.property_id

    # The old tab's form, sent: refused, with the notice and a way on.
    old_tab.get_by_label("کدنوسازی").fill("3-114-25-1-0-0-5")
    old_tab.get_by_label("شماره درخواست یا گواهی").fill("1404-03-004567")
    old_tab.get_by_role("button", name="جستجو").click()
    expect(old_tab.get_by_role("alert")).to_contain_text(NOTICE)
    case.refresh_from_db()
    assert case.property_id == property_before
    old_tab.get_by_role("link", name="ادامه درخواست").click()
    expect(old_tab.get_by_role("heading", name="بارگذاری مدارک")).to_be_visible()

    # The old address itself (a bookmark, the back button): the current step, and why.
    old_tab.goto(apartment_url)
    expect(old_tab.get_by_role("heading", name="بارگذاری مدارک")).to_be_visible()
    expect(old_tab.get_by_role("status").filter(has_text=NOTICE)).to_be_visible()
    assert old_tab.url != apartment_url
    context.close()
