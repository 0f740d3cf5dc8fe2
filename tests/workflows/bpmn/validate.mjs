// Reads BPMN 2.0 XML files with bpmn-moddle (the reader bpmn-js and Camunda Modeler use)
// and prints, per file, its warnings and the type and name of every flow element as JSON.
import { readFileSync } from "node:fs";
import { BpmnModdle } from "bpmn-moddle";

const moddle = new BpmnModdle();
const results = {};
for (const file of process.argv.slice(2)) {
  const { rootElement, warnings } = await moddle.fromXML(readFileSync(file, "utf8"));
  const elements = [];
  const shapes = [];
  for (const root of rootElement.rootElements) {
    for (const element of root.flowElements || []) {
      elements.push({ id: element.id, type: element.$type, name: element.name || "" });
    }
  }
  for (const diagram of rootElement.diagrams) {
    for (const element of diagram.plane.planeElement) {
      shapes.push({ id: element.bpmnElement ? element.bpmnElement.id : null, type: element.$type });
    }
  }
  results[file] = { warnings: warnings.map((w) => w.message), elements, shapes };
}
process.stdout.write(JSON.stringify(results));
