"""The supervisor's dashboard draws each flow as a BPMN diagram (bpmn-js's viewer, from
`staff/flows/<flow>.bpmn`) fitted to a laptop's screen: every node inside the box with its Persian
name, the live numbers on the steps, the bpmn.io watermark visible, and a click on
«بازدید کارشناس» lists the open inspections. Checked by axe-core and the CSP watcher."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.audit import AXE, Auditor
from tests.support.browser import log_in
from tests.support.transfer_driver import register_a_case_for_today
from workflows import flow_versions
from workflows.bpmn import graph_of
from workflows.bpmn.xml import node_id

FLOWS = {label: flow_versions.newest(label) for label in flow_versions.labels()}

LAPTOP = {"width": 1280, "height": 800}


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def open_dashboard(browser, site, flow: str, auditor: Auditor):
    context, page = log_in(browser, site, "supervisor", viewport=LAPTOP)
    auditor.attach(context)
    page.goto(f"/staff/dashboard/{flow}/")
    expect(page.locator("#flow-diagram[data-ready=true]")).to_be_attached()
    return page


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_every_node_is_drawn_inside_the_fitted_diagram_with_its_name(demo, site, browser, flow):
    assert AXE.exists(), f"{AXE} missing: run `npm ci`"
    auditor = Auditor(site)
    page = open_dashboard(browser, site, flow, auditor)
    box = page.locator("#flow-diagram").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"]
    graph = graph_of(FLOWS[flow], flow)
    for name, node in graph.nodes.items():
        shape = page.locator(f'#flow-diagram .djs-shape[data-element-id="{node_id(name)}"]')
        drawn = shape.bounding_box()
        assert drawn is not None, name
        assert box["x"] <= drawn["x"] and drawn["x"] + drawn["width"] <= box["x"] + box["width"], name
        assert box["y"] <= drawn["y"] and drawn["y"] + drawn["height"] <= box["y"] + box["height"], name
        label = page.locator(f'#flow-diagram [data-element-id="{node_id(name)}_label"]')
        text = (label if label.count() else shape).text_content()
        assert _squashed(node.title) == _squashed(text), (name, text)
    expect(page.locator("#flow-diagram .bjs-powered-by")).to_be_visible()
    auditor.check(page, f"{flow} dashboard")
    auditor.assert_clean()


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_clicking_the_inspection_lists_the_open_inspections(demo, site, browser):
    case = register_a_case_for_today()
    auditor = Auditor(site)
    page = open_dashboard(browser, site, "transfer", auditor)
    inspection = page.locator('#flow-diagram .djs-shape[data-element-id="Node_inspection"]')
    expect(page.locator("#flow-diagram a.diagram-badge").first).to_be_visible()
    # As a person clicks: at the point on the screen (bpmn-js finds the node it hit).
    drawn = inspection.bounding_box()
    page.mouse.click(drawn["x"] + drawn["width"] / 2, drawn["y"] + drawn["height"] / 2)
    expect(page.get_by_role("heading", name="کارهای باز")).to_be_visible()
    assert "node=" in page.url
    expect(page.get_by_role("main")).to_contain_text(case.tracking_number_display)
    # A citizen's step carries its numbers but no link: drafts are not listed to staff.
    page.go_back()
    expect(page.locator("#flow-diagram[data-ready=true]")).to_be_attached()
    apartment = page.locator('.djs-overlays[data-container-id="Node_apartment"] .diagram-badge')
    expect(apartment).to_have_count(1)
    assert apartment.evaluate("e => e.tagName") == "SPAN"


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_a_case_page_shows_the_path_the_case_took(demo, site, browser):
    case = register_a_case_for_today()
    auditor = Auditor(site)
    context, page = log_in(browser, site, "supervisor", viewport=LAPTOP)
    auditor.attach(context)
    page.goto(f"/staff/cases/{case.pk}/")
    expect(page.locator("#flow-diagram[data-ready=true]")).to_be_attached()

    def marked(name: str) -> str:
        return page.locator(f'#flow-diagram .djs-shape[data-element-id="{node_id(name)}"]').get_attribute("class")

    for done in ("start", "apartment", "documents", "appointment", "confirm"):
        assert "diagram-done" in marked(done), done
    assert "diagram-current" in marked("inspection")
    assert "diagram-done" not in marked("fees") and "diagram-current" not in marked("fees")
    auditor.check(page, "case page")
    auditor.assert_clean()
