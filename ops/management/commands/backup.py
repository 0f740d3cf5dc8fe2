from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup.age import BackupError
from ops.backup.run import take_backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump of the server's own major version, or SQLite's "
            "online backup), then the private store's new files, encrypted with age to "
            "BACKUP_AGE_RECIPIENTS; then drop backups the retention policy no longer keeps.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", type=Path, default=None,
                            help="the backup folder (default BACKUP_DIR)")

    def handle(self, *args, to: Path | None, **options) -> None:
        try:
            report = take_backup(to)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backup {report.stamp}: database {report.seconds['database']:.1f} s, "
            f"{report.files} files ({report.new_files} new) {report.seconds['files']:.1f} s")
        for stamp in report.removed:
            self.stdout.write(f"removed backup {stamp} (retention)")
        # A file whose row went while this ran is kept FILE_DELETION_DELAY_HOURS: a backup
        # nearly that long could miss one; say so while there is margin left.
        if sum(report.seconds.values()) > settings.FILE_DELETION_DELAY_HOURS * 3600 / 2:
            self.stderr.write("WARNING: the backup took more than half of "
                              "FILE_DELETION_DELAY_HOURS; raise it (docs/operators/backup.md)")
