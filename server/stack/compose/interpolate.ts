// Compose's variable interpolation, as the Compose specification defines it: $VAR, ${VAR},
// ${VAR:-default} (unset or empty), ${VAR-default} (unset), ${VAR:?message} / ${VAR?message} (required),
// ${VAR:+alt} / ${VAR+alt}, and $$ for a literal $. Defaults may themselves hold ${...}.
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export class InterpolationError extends Error {}

export interface Interpolation {
  env: Record<string, string | undefined>;
  /** Unset variables with no default become "" (compose warns); each is named here once. */
  warnings: Set<string>;
}

/** The variables compose interpolates with: the project directory's .env, overridden by the process env. */
export function interpolationEnv(workingDir: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const dotenv = path.join(workingDir, '.env');
  // node:util's parseEnv reads the dotenv format (quotes, comments, export-less KEY=value lines).
  const fromFile = fs.existsSync(dotenv) ? parseEnv(fs.readFileSync(dotenv, 'utf8')) : {};
  return { ...fromFile, ...env };
}

export function interpolate(text: string, ctx: Interpolation): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      out += expand(text.slice(i + 2, end), ctx);
      i = end + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
      if (!name) {
        out += '$';
        i++;
        continue;
      }
      out += lookup(name, ctx) ?? '';
      i += 1 + name.length;
    }
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new InterpolationError(`unclosed \${ in ${JSON.stringify(text)}`);
}

function expand(body: string, ctx: Interpolation): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!m) throw new InterpolationError(`invalid interpolation \${${body}}`);
  const [, name = '', op, arg = ''] = m;
  const value = ctx.env[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case undefined: return lookup(name, ctx) ?? '';
    case ':-': return nonEmpty ? value : interpolate(arg, ctx);
    case '-': return set ? value : interpolate(arg, ctx);
    case ':+': return nonEmpty ? interpolate(arg, ctx) : '';
    case '+': return set ? interpolate(arg, ctx) : '';
    case ':?':
    case '?':
      if (op === ':?' ? nonEmpty : set) return value as string;
      throw new InterpolationError(`required variable ${name} is ${set ? 'empty' : 'not set'}${arg ? `: ${interpolate(arg, ctx)}` : ''}`);
    default: throw new InterpolationError(`invalid interpolation \${${body}}`);
  }
}

function lookup(name: string, ctx: Interpolation): string | undefined {
  const value = ctx.env[name];
  if (value === undefined) ctx.warnings.add(`variable ${name} is not set; using an empty string`);
  return value;
}
