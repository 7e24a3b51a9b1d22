// Validates element-templates/*.json against the Camunda 7 element template
// JSON schema (the one Camunda Modeler uses in Camunda 7 mode).
import { validate } from '@bpmn-io/element-templates-validator';
import { readFileSync, readdirSync } from 'node:fs';

const dir = new URL('./element-templates/', import.meta.url);
let invalid = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const { valid, errors } = validate(readFileSync(new URL(name, dir), 'utf-8'));
  if (!valid) {
    invalid += 1;
    for (const error of errors) {
      console.log(`element-templates/${name}: ${error.message}`);
    }
  }
}
process.exit(invalid ? 1 : 0);
