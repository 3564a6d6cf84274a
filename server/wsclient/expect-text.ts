// `--expect` as a person types it: `a,b,c` (event types), or the JSON array of schemas/expectation.schema.json
// when fields must hold too (`[{"type":"tool_completed","fields":{"data.status":"success"}}]`). Scenario
// files write the same list in YAML or JSON; one format, checked by one schema.
import expectationSchema from '../../schemas/expectation.schema.json';
import { lazyValidator } from '../config/schema-validator';
import type { Expectation } from './sequence';

/** Compiled on first use: the comma form, the common one, never pays for ajv. */
const validator = lazyValidator(expectationSchema, [], false);

/** The expected events, or an Error whose message says what is wrong with the text. */
export function parseExpectText(text: string): Expectation[] {
  if (text.trim().startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new Error(`is not a JSON array: ${(e as Error).message}`);
    }
    const check = validator();
    if (!check(value)) {
      const err = check.errors?.[0];
      throw new Error(`does not match schemas/expectation.schema.json at ${err?.instancePath || '(root)'}: ${err?.message ?? 'invalid'}`);
    }
    return value as Expectation[];
  }
  const names = text.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) throw new Error(`${JSON.stringify(text)} has an empty event name (use a,b,c)`);
  return names;
}
