// Shared by the backend tests: a real backend on an ephemeral port, real JWTs, a recording ws client that
// checks every event against schemas/server-event.schema.json, and a way to read refused upgrades.
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { TestContext } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import WebSocket, { type ClientOptions } from 'ws';
import serverEventSchema from '../../schemas/server-event.schema.json';
import { startBackend, type BackendOptions, type RunningBackend } from '../../server/backend/backend';
import { mintToken, type MintOptions } from '../../server/auth/token';
import type { ServerEvent } from '../../$shared/wire';

export const SECRET = `test-secret-${crypto.randomBytes(16).toString('hex')}`;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateServerEvent = ajv.compile(serverEventSchema);

/** A backend on 127.0.0.1:0 that the test closes when it ends. */
export async function startTestBackend(t: TestContext, overrides: Partial<BackendOptions> = {}): Promise<RunningBackend> {
  const backend = await startBackend({ host: '127.0.0.1', port: 0, profile: 'development', secret: SECRET, ...overrides });
  t.after(() => backend.close());
  return backend;
}

export function token(user: string, opts: Partial<MintOptions> = {}): Promise<string> {
  return mintToken({ user, secret: SECRET, ...opts });
}

/** A connected client that records every event and rejects the test on any event the schema refuses. */
export class Client {
  readonly events: ServerEvent[] = [];
  readonly schemaErrors: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const event = JSON.parse(String(data)) as ServerEvent;
      if (isBinary || !validateServerEvent(event)) this.schemaErrors.push(`${event.type}: ${ajv.errorsText(validateServerEvent.errors)}`);
      this.events.push(event);
      this.waiters.forEach((w) => w());
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      this.waiters.forEach((w) => w());
    }));
  }

  static async open(url: string, opts: { token?: string; protocols?: string[]; ws?: ClientOptions } = {}): Promise<Client> {
    const headers = opts.token ? { Authorization: `Bearer ${opts.token}` } : undefined;
    const ws = new WebSocket(url, opts.protocols ?? [], { headers, ...opts.ws });
    const client = new Client(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with HTTP ${res.statusCode}`)));
    });
    await client.waitFor((e) => e.type === 'connection_established');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Resolves with the first recorded event matching, waiting for it if needed. */
  waitFor(match: (e: ServerEvent) => boolean, timeoutMs = 5_000): Promise<ServerEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(match);
        if (found) {
          done();
          resolve(found);
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`closed before the awaited event; saw ${this.types().join(', ')}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms; saw ${this.types().join(', ')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
      };
      this.waiters.push(check);
      check();
    });
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

/** Opens a client and closes it when the test ends. */
export async function connect(t: TestContext, url: string, opts: Parameters<typeof Client.open>[1] = {}): Promise<Client> {
  const client = await Client.open(url, opts);
  t.after(() => client.ws.terminate());
  return client;
}

/** Attempts an upgrade that the server should refuse; resolves with the HTTP status and the JSON body. */
/** An upgrade the server answers with an HTTP error: its status, its JSON body, and the body's text and headers as sent. */
export function refusal(url: string, opts: { headers?: Record<string, string>; protocols?: string[] } = {}):
  Promise<{ status: number; body: Record<string, unknown>; text: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.protocols ?? [], { headers: opts.headers });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: jsonOrEmpty(text), text, headers: res.headers }));
    });
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A refusal body that is not JSON (a proxy's or a library's plain text) reads as {}: its text is still there. */
function jsonOrEmpty(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
