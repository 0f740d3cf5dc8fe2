from django.urls import path

from .views import dashboard, incidents, inspector, migrations, supervisor

app_name = "staff"

urlpatterns = [
    path("queue/", inspector.queue, name="queue"),
    path("tasks/<int:task_id>/claim/", inspector.claim, name="claim"),
    path("tasks/<int:task_id>/unassign/", inspector.unassign, name="unassign"),
    path("search/", inspector.search, name="search"),
    path("tasks/", supervisor.tasks, name="tasks"),
    path("cases/<int:case_id>/", supervisor.case_page, name="case"),
    path("cases/<int:case_id>/cancel/", supervisor.cancel, name="cancel"),
    path("dashboard/<slug:flow>/", dashboard.flow_dashboard, name="dashboard"),
    path("dashboard/<slug:flow>/refresh/", dashboard.refresh_summary, name="refresh"),
    path("flows/<slug:flow>.bpmn", dashboard.flow_bpmn, name="flow_bpmn"),
    path("flows/<slug:flow>/migrations/", migrations.migrations_page, name="case_migrations"),
    path("flows/<slug:flow>/migrations/run/", migrations.run, name="case_migration_run"),
    path("flows/<slug:flow>/migrations/<int:migration_id>/", migrations.migration_page,
         name="case_migration"),
    path("flows/<slug:flow>/migrations/<int:migration_id>/undo/", migrations.undo,
         name="case_migration_undo"),
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/<int:incident_id>/retry/", incidents.retry, name="incident_retry"),
]
