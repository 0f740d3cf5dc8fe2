"""Each step is named once, on its node: the stepper and the staff pages read it there."""

from __future__ import annotations

import re

import pytest

from flows.inquiry_flow import InquiryFlow
from flows.transfer_flow import TransferFlow
from staff.flows import all_nodes, node_choices
from workflows.wizard import stepper

PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.mark.parametrize(("flow_class", "steps"), [
    # MANUAL.md's stepper, chapter by chapter, in order.
    (TransferFlow, ["تعهدات", "انتخاب آپارتمان", "بارگذاری مدارک", "انتخاب کارشناس بازدید",
                    "تایید و ثبت", "عوارض نوسازی", "صدور گواهی"]),
    (InquiryFlow, ["تعهدات", "انتخاب ملک", "بررسی سوابق", "بارگذاری مدارک", "تسویه عوارض",
                   "صدور و چاپ پاسخ استعلام"]),
])
def test_the_stepper_is_the_flows_wizard_nodes_in_the_order_the_flow_reaches_them(
        flow_class, steps):
    assert [step["label"] for step in stepper(flow_class, "start")] == steps


@pytest.mark.parametrize("flow_class", [TransferFlow, InquiryFlow])
def test_every_node_has_a_persian_title_of_its_own(flow_class):
    """viewflow titles an untitled node from its name in English («After Documents»)."""
    untitled = [node.name for node in flow_class.instance.nodes()
                if not PERSIAN.search(node.task_title)]
    assert untitled == []


def test_staff_pages_name_each_node_as_its_flow_does():
    for ref, node in all_nodes().items():
        flow_class = {"transfer": TransferFlow, "inquiry": InquiryFlow}[node.flow_label]
        assert node.title == flow_class.instance.node(node.name).task_title, ref
    # The inquiry's fees step was «عوارض نوسازی» to staff and «تسویه عوارض» to citizens.
    labels = dict(node_choices())
    assert labels[next(r for r, n in all_nodes().items()
                       if (n.flow_label, n.name) == ("inquiry", "fees"))].endswith("تسویه عوارض")
