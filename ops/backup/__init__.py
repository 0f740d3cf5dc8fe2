"""`manage.py backup` and `restore`: the database dumped, then the private store mirrored,
every file encrypted with age; a backup restores only into an empty database and store.
How an operator uses them: docs/operators/backup.md.
"""
