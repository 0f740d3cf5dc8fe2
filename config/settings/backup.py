"""Backups and the consistency check: where backups go, whose key opens them, how many
are kept, and how much of the store the nightly check re-hashes.

Environment: BACKUP_DIR, BACKUP_AGE_RECIPIENTS, BACKUP_DEV_IDENTITY, BACKUP_KEEP_DAILY,
BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY, BACKUP_PG_BIN_DIR, CONSISTENCY_REHASH_NIGHTS,
CONSISTENCY_SMS_LATE_SECONDS.
"""

from config.settings.base import BASE_DIR, env

# `manage.py backup` writes here (docs/operators/backup.md); copy it off the host.
BACKUP_DIR = env.str("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups"))
# The operators' age public keys (age1…): every backup file is encrypted to them, so the
# host that takes backups cannot read them. The private key stays off the host.
BACKUP_AGE_RECIPIENTS = env.list("BACKUP_AGE_RECIPIENTS", default=[])
# Without recipients and with DEBUG on (make run): a development key made here on first
# use. With DEBUG off, no recipients means no backup.
BACKUP_DEV_IDENTITY = env.str("BACKUP_DEV_IDENTITY",
                              default=str(BASE_DIR / "var" / "backup-identity.txt"))
# Kept: the newest backup of each of the last N days, weeks and months.
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=4)
BACKUP_KEEP_MONTHLY = env.int("BACKUP_KEEP_MONTHLY", default=12)
# Where pg_dump and pg_restore of the server's major version are; empty: Debian's
# /usr/lib/postgresql/<major>/bin.
BACKUP_PG_BIN_DIR = env.str("BACKUP_PG_BIN_DIR", default="")

# The nightly `check_consistency` re-hashes 1/N of the stored files (all in N nights).
CONSISTENCY_REHASH_NIGHTS = env.int("CONSISTENCY_REHASH_NIGHTS", default=30)
# An SMS still queued or sending this long after its last try is stuck: the sweep
# (every minute) should have handed it over long before.
CONSISTENCY_SMS_LATE_SECONDS = env.int("CONSISTENCY_SMS_LATE_SECONDS", default=3600)
