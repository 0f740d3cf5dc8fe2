"""python manage.py export_bpmn transfer [-o transfer.bpmn]"""

from django.core.management.base import BaseCommand, CommandError

from flows.registry import FLOWS
from workflows.bpmn import UnnamedNode, export


class Command(BaseCommand):
    help = ("Write a flow as BPMN 2.0 XML with its diagram (right to left, in lanes), for "
            "Camunda Modeler, bpmn.io or any BPMN tool.")

    def add_arguments(self, parser):
        parser.add_argument("flow", choices=sorted(FLOWS))
        parser.add_argument("-o", "--output", help="a file to write (default: standard output)")

    def handle(self, *args, flow: str, output: str | None = None, **options):
        try:
            xml = export(FLOWS[flow], flow)
        except UnnamedNode as error:
            raise CommandError(str(error)) from error
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(xml)
            self.stdout.write(f"{flow}: {output}")
        else:
            self.stdout.write(xml, ending="")
