// The per-user variables a scenario's strings may use: ${user} (the name), ${n} (its 1-based number across
// all shards) and ${user_id} (the id the server knows the user by, the token's `sub`). ${run_id} is left
// alone: the matcher binds it to the run a step follows (wsclient/sequence.ts).

export interface UserVars {
  user: string;
  n: number;
  userId?: string;
}

const VARIABLE = /\$\{(user|n|user_id)\}/g;

/** A copy of the value with the variables replaced in every string, keys included. */
export function substitute<T>(value: T, vars: UserVars): T {
  return replaceIn(value, vars) as T;
}

function replaceIn(value: unknown, vars: UserVars): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    return value.replace(VARIABLE, (_, name: string) => (name === 'user' ? vars.user : name === 'n' ? String(vars.n) : vars.userId ?? vars.user));
  }
  if (Array.isArray(value)) return value.map((v) => replaceIn(v, vars));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [replaceIn(k, vars) as string, replaceIn(v, vars)]));
  }
  return value;
}
