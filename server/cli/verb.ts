// What every `handshake` verb shares: its help text, option parsing with node:util's parseArgs, and the
// exit-code contract (0 success, 1 the check failed, 2 usage or config error), and where a verb connects (a target).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { HandshakeConfig, TargetConfig } from '../config/config';

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;

/** A bad invocation: main.ts prints it with the verb's usage, telling it by name (each verb bundle has its own copy). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
  color: boolean;
}

export interface Verb {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  run(values: Record<string, string | boolean | string[] | boolean[] | undefined>, positionals: string[], io: Output): Promise<number>;
}

export function parseVerbArgs(verb: Verb, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...verb.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: verb.allowPositionals ?? false, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function consoleOutput(env: NodeJS.ProcessEnv = process.env): Output {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    // NO_COLOR (no-color.org): any non-empty value turns colour off; so does a non-terminal stdout.
    color: !env.NO_COLOR && process.stdout.isTTY === true,
  };
}

/** The value of a string option the verb cannot do without. */
export function requiredOption(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** A flag whose value must be a JSON object (`--message`, `--claims`); `example` shows one in the error. */
export function parseJsonObject(flag: string, text: string, example = ''): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${flag} is not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${flag} must be a JSON object${example ? ` such as ${example}` : ''}`);
  }
  return value as Record<string, unknown>;
}

/** Parses "10s", "15m", "500ms", "2h" into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`not a duration: ${JSON.stringify(text)} (try 10s, 15m, 500ms)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/** Where a verb connects: a ws:// or wss:// URL as given, or the name of a configured target (`local`, `stack`,
 *  a config-defined one). `what` names where the text came from in the error: `--url`, `--target`, a scenario file. */
export function resolveTarget(urlOrName: string, config: HandshakeConfig, what: string): TargetConfig {
  if (/^wss?:\/\//i.test(urlOrName)) {
    if (!URL.canParse(urlOrName)) throw new UsageError(`${what} ${JSON.stringify(urlOrName)} is not a valid URL`);
    return { url: urlOrName, auth: 'header' };
  }
  const target = config.targets[urlOrName];
  if (!target) {
    throw new UsageError(`${what} ${JSON.stringify(urlOrName)} is neither a ws:// or wss:// URL nor a target (known targets: ${Object.keys(config.targets).join(', ')})`);
  }
  return target;
}
