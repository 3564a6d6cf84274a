// The workspace's saved messages (handshake.messages.json): written by the panel, meant to be committed and
// shared, so it is validated against schemas/saved-messages.schema.json on every read and before every write
// (VS Code validates it as it is edited through package.json's jsonValidation).
import fs from 'node:fs';
import path from 'node:path';
import type { SavedMessage } from '../../$shared/protocol';
import clientMessageSchema from '../../schemas/client-message.schema.json';
import expectationSchema from '../../schemas/expectation.schema.json';
import savedMessagesSchema from '../../schemas/saved-messages.schema.json';
import { lazyValidator } from '../config/schema-validator';

export const SAVED_MESSAGES_FILE = 'handshake.messages.json';

// The file has no $id, so VS Code resolves its $ref beside it in the extension; ajv needs a base to do the same.
const savedMessagesValidator = lazyValidator({ ...savedMessagesSchema, $id: new URL('saved-messages.schema.json', clientMessageSchema.$id).href },
  [clientMessageSchema, expectationSchema]);

function validate(value: unknown): string | undefined {
  const validator = savedMessagesValidator();
  if (validator(value)) return undefined;
  const e = validator.errors?.[0];
  return e ? `${e.instancePath || '/'}: ${e.message ?? 'invalid'}` : 'invalid';
}

export type SavedRead = { file: string; messages: SavedMessage[]; error?: string };

/** The file's messages; an unreadable or invalid file says why (and yields none) rather than being overwritten. */
export function readSavedMessages(workspace: string): SavedRead {
  const file = path.join(workspace, SAVED_MESSAGES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file, messages: [] };
    return { file, messages: [], error: `${SAVED_MESSAGES_FILE}: ${(e as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { file, messages: [], error: `${SAVED_MESSAGES_FILE} is not JSON: ${(e as Error).message}` };
  }
  const error = validate(value);
  return error ? { file, messages: [], error: `${SAVED_MESSAGES_FILE}: ${error}` } : { file, messages: (value as { messages: SavedMessage[] }).messages };
}

/** Adds the entry, or replaces the one of the same name; refuses an entry or a file the schema does not accept. */
export function saveMessage(workspace: string, entry: SavedMessage): { file: string } | { error: string } {
  const current = readSavedMessages(workspace);
  if (current.error) return { error: `${current.error} (fix the file first; nothing was written)` };
  const messages = [...current.messages.filter((m) => m.name !== entry.name), entry];
  const next = { messages };
  const error = validate(next);
  if (error) return { error: `not saved: ${error.replace(/^\/messages\/\d+/, '')}` };
  fs.writeFileSync(current.file, `${JSON.stringify(next, null, 2)}\n`);
  return { file: current.file };
}
