// The message panel's templates, generated from schemas/client-message.schema.json: one per message type with
// its required fields and the schema's defaults filled in, plus one run per `fail` mode so every error event
// can be asked for. Each comes with the events it should produce, in the `handshake send --expect` format.
import { AGENT_EVENTS } from '../../$shared/wire';
import type { SavedMessage } from '../../$shared/protocol';
import clientMessageSchema from '../../schemas/client-message.schema.json';

interface PropertySchema { type?: string; enum?: string[]; const?: string; default?: unknown; description?: string; $ref?: string }
interface ObjectSchema { properties?: Record<string, PropertySchema>; required?: string[]; anyOf?: Array<{ required?: string[] }> }
interface MessageSchema {
  properties: { type: { enum: string[] } };
  allOf: Array<{ if: { properties: { type: { enum?: string[]; const?: string } } }; then: { required?: string[]; properties?: { data?: PropertySchema } } }>;
  definitions: Record<string, ObjectSchema>;
}

/** What each message type is answered with when it goes well. */
const EXPECTED: Record<string, string[]> = { start_agent: [...AGENT_EVENTS], user_message: [...AGENT_EVENTS], ping: ['pong'] };

export function messageTemplates(schema: MessageSchema = clientMessageSchema as unknown as MessageSchema): SavedMessage[] {
  const templates: SavedMessage[] = [];
  for (const type of schema.properties.type.enum) {
    const rule = schema.allOf.find((r) => (r.if.properties.type.enum ?? [r.if.properties.type.const]).includes(type));
    const ref = rule?.then.properties?.data?.$ref;
    const dataSchema = ref ? schema.definitions[ref.replace('#/definitions/', '')] : undefined;
    const message: Record<string, unknown> = { type };
    if (dataSchema) message.data = dataOf(type, dataSchema);
    const expect = EXPECTED[type];
    templates.push({ name: type, message, ...(expect ? { expect } : {}) });
    // Every failure the schema lets a run ask for, each with the error event it ends in.
    for (const fail of dataSchema?.properties?.fail?.enum ?? []) {
      const data: Record<string, unknown> = { ...(message.data as object), fail };
      // The schema: "with fail=timeout and no timeout_ms: 1000"; the default of 30 s would only make one wait.
      if (fail === 'timeout') delete data.timeout_ms;
      templates.push({ name: `${type} (fail: ${fail})`, message: { type, data }, expect: ['agent_started', `${fail}_error`] });
    }
  }
  return templates;
}

/** The required text field (the anyOf branch whose description names this type) and every default. */
function dataOf(type: string, schema: ObjectSchema): Record<string, unknown> {
  const props = schema.properties ?? {};
  const branches = (schema.anyOf ?? []).flatMap((b) => b.required ?? []);
  const text = branches.find((name) => props[name]?.description?.includes(type)) ?? branches[0];
  const data: Record<string, unknown> = text ? { [text]: `Hello from the Handshake panel (${type})` } : {};
  for (const [name, prop] of Object.entries(props)) if (prop.default !== undefined) data[name] = prop.default;
  return data;
}
