// One way to turn a JSON Schema of schemas/ into an ajv validator: compiled on first use (ajv's compile costs
// about 90 ms, which every CLI verb would otherwise pay at start-up), with the schemas it $refs added first.
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export function lazyValidator(schema: object, refs: object[] = [], allErrors = true): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => {
    if (!compiled) {
      const ajv = new Ajv({ allErrors, strict: false });
      addFormats(ajv);
      for (const ref of refs) ajv.addSchema(ref);
      compiled = ajv.compile(schema);
    }
    return compiled;
  };
}
