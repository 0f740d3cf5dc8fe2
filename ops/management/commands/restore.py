from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup.age import BackupError, default_identity
from ops.backup.run import restore_backup


class Command(BaseCommand):
    help = ("Restore a backup into an EMPTY database and private store (refused otherwise): "
            "the database first, then every file the backup's manifest names. "
            "Then run `check_consistency`.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="source", type=Path, default=None,
                            help="the backup folder (default BACKUP_DIR)")
        parser.add_argument("--backup", default=None,
                            help="the backup's stamp, e.g. 20261206T020000Z (default: newest)")
        parser.add_argument("--identity", type=Path, default=None,
                            help="the age private key file (make run: its own dev key)")

    def handle(self, *args, source: Path | None, backup: str | None,
               identity: Path | None, **options) -> None:
        identity = identity or default_identity()
        if identity is None:
            raise CommandError("--identity: the age private key the backups were made for")
        try:
            report = restore_backup(identity, source, backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored backup {report.stamp}: database {report.seconds['database']:.1f} s, "
            f"{report.files} files {report.seconds['files']:.1f} s")
