// Reads handshake.config.json (or the file HANDSHAKE_CONFIG names), validates it against
// schemas/config.schema.json and fills in the zero-config defaults. A malformed file is an error that
// names the file, the line and the field: the defaults are never used in its place.
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import * as jsonc from 'jsonc-parser';
import configSchema from '../../schemas/config.schema.json';
import deprecationsSchema from '../../schemas/deprecations.schema.json';
import type { Profile } from '../../$shared/protocol';
import { lazyValidator } from './schema-validator';

export interface TargetConfig { url: string; auth: 'header' | 'subprotocol' }

export interface ProxyConfig { listen: string; target: string; ca?: string; insecure?: boolean }

export interface HandshakeConfig {
  /** The file the config came from, or undefined under zero config. */
  file: string | undefined;
  workspace: string;
  profile: Profile;
  backend: { host: string; port: number };
  jwt: { algorithm: 'HS256'; secret?: string; secretEnv?: string; issuer?: string; audience?: string; jwksUrl?: string };
  targets: Record<string, TargetConfig>;
  /** Recording proxies (`handshake proxy` with no --target starts them). */
  proxies: ProxyConfig[];
  /** The validated file as written, for capabilities that own other sections (compose, services, deprecations). */
  raw: Record<string, unknown>;
}

const DEFAULT_BACKEND_PORT = 8787;
export const CONFIG_FILE_NAME = 'handshake.config.json';

export class ConfigError extends Error {
  // The CLI tells it by name (server/cli/main.ts): each verb bundle holds its own copy of this class.
  override readonly name = 'ConfigError';

  constructor(readonly file: string, readonly line: number, readonly field: string, detail: string) {
    super(`${file}:${line}: ${field ? `${field}: ` : ''}${detail}`);
  }
}

// Compiled on the first config file read: under zero config no verb pays for it. config.schema.json's
// `deprecations` section is a $ref to the deprecations schema.
const configValidator = lazyValidator(configSchema, [deprecationsSchema]);

/** Finds the config file: HANDSHAKE_CONFIG wins, else handshake.config.json in the workspace. */
export function configPath(workspace: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HANDSHAKE_CONFIG) return path.resolve(workspace, env.HANDSHAKE_CONFIG);
  const candidate = path.join(workspace, CONFIG_FILE_NAME);
  return fs.existsSync(candidate) ? candidate : undefined;
}

export function loadConfig(workspace: string, env: NodeJS.ProcessEnv = process.env): HandshakeConfig {
  const file = configPath(workspace, env);
  const raw = file ? parseConfigFile(file) : {};
  const backend = (raw.backend ?? {}) as Partial<HandshakeConfig['backend']>;
  const targets = Object.fromEntries(Object.entries((raw.targets ?? {}) as Record<string, Partial<TargetConfig>>)
    .map(([name, t]) => [name, { url: String(t.url), auth: t.auth ?? 'header' }]));
  const backendHost = backend.host ?? '127.0.0.1';
  const backendPort = backend.port ?? DEFAULT_BACKEND_PORT;
  return {
    file,
    workspace,
    profile: (raw.profile as Profile | undefined) ?? 'development',
    backend: { host: backendHost, port: backendPort },
    jwt: { algorithm: 'HS256', ...(raw.jwt as object | undefined) },
    targets: {
      local: { url: `ws://${hostPort(backendHost, backendPort)}/ws`, auth: 'header' },
      stack: { url: 'ws://localhost:8002/ws', auth: 'header' },
      ...targets,
    },
    proxies: (raw.proxies as ProxyConfig[] | undefined) ?? [],
    raw,
  };
}

function parseConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, 0, '', `cannot read config file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const errors: jsonc.ParseError[] = [];
  // jsonc-parser keeps offsets, so a syntax error or a schema error can be pinned to a line.
  const tree = jsonc.parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (first || !tree) {
    const offset = first?.offset ?? 0;
    throw new ConfigError(file, lineOf(text, offset), '', `invalid JSON: ${first ? jsonc.printParseErrorCode(first.error) : 'empty file'}`);
  }
  const value = jsonc.getNodeValue(tree) as unknown;
  const validate = configValidator();
  if (!validate(value)) {
    const err = (validate.errors ?? [])[0] as ErrorObject;
    // Array indices as numbers: jsonc-parser's findNodeAtLocation only steps into arrays with numbers.
    const segments: Array<string | number> = err.instancePath.split('/').slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const field = err.keyword === 'additionalProperties'
      ? [...segments, String(err.params.additionalProperty)] : segments;
    const node = jsonc.findNodeAtLocation(tree, field) ?? jsonc.findNodeAtLocation(tree, segments) ?? tree;
    const where = node.parent?.type === 'property' ? node.parent : node;
    throw new ConfigError(file, lineOf(text, where.offset), field.join('.') || '(root)', describe(err));
  }
  return value as Record<string, unknown>;
}

function describe(err: ErrorObject): string {
  if (err.keyword === 'additionalProperties') return 'unknown field';
  if (err.keyword === 'enum') return `must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return err.message ?? err.keyword;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** host:port as a URL writes it: an IPv6 host (::1) goes in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
