// The per-user variables a scenario's strings may use: ${user} (the name), ${n} (its 1-based number across
// all shards) and ${user_id} (the id the server knows the user by, the token's `sub`). ${run_id} is left
// alone: the matcher binds it to the run a step follows (wsclient/sequence.ts).

export interface UserVars {
  user: string;
  n: number;
  userId?: string;
}

const VARIABLE = /\$\{(user|n|user_id)\}/g;
const HAS_VARIABLE = /\$\{(user|n|user_id)\}/;

/** Each object's JSON, made once: every user substitutes into the same step objects. */
const templates = new WeakMap<object, string>();

/** A copy of the value with the variables replaced in every string, keys included (the value itself when it has none). */
export function substitute<T>(value: T, vars: UserVars): T {
  if (typeof value === 'string') return value.replace(VARIABLE, (_, name: string) => valueOf(name, vars)) as T;
  if (typeof value !== 'object' || value === null) return value;
  let text = templates.get(value);
  if (text === undefined) templates.set(value, (text = JSON.stringify(value)));
  if (!HAS_VARIABLE.test(text)) return value;
  // Replaced inside the JSON text, escaped as JSON string content: one parse instead of a walk per user.
  return JSON.parse(text.replace(VARIABLE, (_, name: string) => JSON.stringify(valueOf(name, vars)).slice(1, -1))) as T;
}

function valueOf(name: string, vars: UserVars): string {
  return name === 'user' ? vars.user : name === 'n' ? String(vars.n) : vars.userId ?? vars.user;
}
