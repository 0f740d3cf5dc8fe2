"""Every loaded version of every flow, each under its own path and URL namespace:
/flows/transfer/ for a flow's first version, /flows/transfer/v2/ for its second."""

from django.urls import path

from workflows import flow_versions
from workflows.engine_urls import engine_urls


def flow_patterns() -> list:
    return [path(flow_versions.mount_path(flow_class), engine_urls(flow_class))
            for flow_class in flow_versions.all_flows()]


urlpatterns = flow_patterns()
