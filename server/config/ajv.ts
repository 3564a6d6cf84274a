// ajv with its formats, which schema-validator.ts requires on a validator's first use. The CLI's verb bundles
// leave this module out (scripts/build.mjs): dist/ajv.js is read and compiled only when a verb validates.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

export { Ajv, addFormats };
