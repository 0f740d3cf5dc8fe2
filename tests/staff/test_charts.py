"""The dashboard's daily bars: one titled bar per day and series, in Persian, scaled to
the period's peak."""

import datetime
import re

import pytest
from django.urls import reverse

from cases.jalali import format_jalali_date
from staff.charts import daily_bars
from staff.models import DailyCount
from tests.support.clients import logged_in

DAY = datetime.date(2026, 11, 21)


def test_each_day_has_a_bar_per_series_titled_with_its_day_and_count():
    days = [DailyCount(flow_label="transfer", day=DAY, registered=4, issued=2, cancelled=0),
            DailyCount(flow_label="transfer", day=DAY + datetime.timedelta(days=1),
                       registered=1, issued=0, cancelled=1)]
    svg = str(daily_bars(days, width=600, height=200)["svg"])
    rects = re.findall(r'<rect class="bar bar-(\w+)" x="([\d.]+)" y="([\d.]+)" '
                       r'width="([\d.]+)" height="([\d.]+)"><title>([^<]+)</title></rect>', svg)
    assert [r[0] for r in rects] == ["registered", "issued", "cancelled"] * 2
    # The peak (4) fills the height less 20; a zero is a bar of no height at the baseline.
    assert rects[0][2:5] == ("20.0", "75.0", "180.0")
    assert rects[2][2:5] == ("200.0", "75.0", "0.0")
    assert rects[0][5] == f"{format_jalali_date(DAY)}: ۴"
    assert svg.startswith('<svg class="bars"') and 'aria-labelledby="bars-title"' in svg


@pytest.mark.django_db
def test_the_dashboard_draws_a_month_of_bars(demo):
    page = logged_in("supervisor").get(reverse("staff:dashboard", args=["transfer"]))
    html = page.content.decode()
    days = len(page.context["days"])
    assert days >= 28
    assert html.count('<rect class="bar bar-') == 3 * days
