"""SLA targets for clerks and administrators; the summary tables are read-only."""

from django import forms
from django.contrib import admin

from cases.admin_mixins import ReadOnlyAdmin

from .flows import all_nodes, flow_titles
from .models import DailyCount, NodeWaitDay, SlaTarget, SummaryRefresh


class SlaTargetForm(forms.ModelForm):
    flow_label = forms.ChoiceField(label="فرایند", choices=lambda: list(flow_titles().items()))
    # The steps people wait at: human tasks (an automatic step or a gateway has no SLA), in
    # any loaded version (a target is by step name, so it holds across versions).
    node_name = forms.ChoiceField(label="گام", choices=lambda: sorted(
        {(n.name, n.title) for n in all_nodes().values() if n.node.task_type == "HUMAN"},
        key=lambda c: c[1]))

    class Meta:
        model = SlaTarget
        fields = ["flow_label", "node_name", "working_days"]
        help_texts = {"working_days": "روزهای کاری: جمعه‌ها و تعطیلات رسمی شمرده نمی‌شوند."}

    def clean(self):
        data = super().clean()
        known = {n.name for n in all_nodes().values() if n.flow_label == data.get("flow_label")}
        if data.get("node_name") and data["node_name"] not in known:
            self.add_error("node_name", "این گام در این فرایند نیست.")
        return data


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    form = SlaTargetForm
    list_display = ("flow_label", "node_name", "working_days")
    list_filter = ("flow_label",)


@admin.register(SummaryRefresh)
class SummaryRefreshAdmin(ReadOnlyAdmin):
    list_display = ("refreshed_at", "covered_until")


@admin.register(DailyCount)
class DailyCountAdmin(ReadOnlyAdmin):
    list_display = ("flow_label", "day", "registered", "issued", "cancelled")
    list_filter = ("flow_label",)


@admin.register(NodeWaitDay)
class NodeWaitDayAdmin(ReadOnlyAdmin):
    list_display = ("flow_label", "node_name", "day", "finished")
    list_filter = ("flow_label",)
