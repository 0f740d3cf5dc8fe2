"""Moving open cases from one version of a flow to another (Camunda's "process instance
migration"): `plan` says where each case would go and which cannot move and why (the dry
run), `moves` moves one case atomically and audits it, `undo` moves a migration's cases
back while nothing has happened on them since. The command is
`manage.py migrate_cases`; supervisors have the same on the workspace.
"""
