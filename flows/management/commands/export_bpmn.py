"""python manage.py export_bpmn transfer [--flow-version 2] [-o transfer-v2.bpmn]"""

from django.core.management.base import BaseCommand, CommandError

from workflows import flow_versions
from workflows.bpmn import UnnamedNode, export


class Command(BaseCommand):
    help = ("Write a flow version as BPMN 2.0 XML with its diagram (right to left, in lanes), "
            "for Camunda Modeler, bpmn.io or any BPMN tool.")

    def add_arguments(self, parser):
        parser.add_argument("flow", choices=sorted(flow_versions.labels()))
        parser.add_argument("--flow-version", dest="flow_version", type=int,
                            help="a loaded version's number (default: the newest)")
        parser.add_argument("-o", "--output", help="a file to write (default: standard output)")

    def handle(self, *args, flow: str, flow_version: int | None = None,
               output: str | None = None, **options):
        try:
            flow_class = flow_versions.flow(flow, flow_version)
            xml = export(flow_class, flow)
        except (UnnamedNode, flow_versions.VersionError) as error:
            raise CommandError(str(error)) from error
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(xml)
            self.stdout.write(f"{flow} v{flow_class.version}: {output}")
        else:
            self.stdout.write(xml, ending="")
