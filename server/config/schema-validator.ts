// One way to turn a JSON Schema of schemas/ into an ajv validator: compiled on first use (ajv's compile costs
// about 90 ms, which every CLI verb would otherwise pay at start-up), with the schemas it $refs added first.
import type { ValidateFunction } from 'ajv';

export function lazyValidator(schema: object, refs: object[] = [], allErrors = true): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => {
    if (!compiled) {
      // Required here, not imported: even loading ajv, before any compile, costs a verb's start-up ~8 ms.
      const { Ajv, addFormats } = require('./ajv') as typeof import('./ajv');
      const ajv = new Ajv({ allErrors, strict: false });
      addFormats(ajv);
      for (const ref of refs) ajv.addSchema(ref);
      compiled = ajv.compile(schema);
    }
    return compiled;
  };
}
