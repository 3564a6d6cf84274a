// The CLI's side of the control API: find the daemon (discovery), read from it, follow its streams, and
// feed it the connection events of this process (`send`, `check`, a `proxy` beside a running daemon).
import WebSocket from 'ws';
import type { ConnectionEvents, ConnectionObserver } from '../inspector/events';
import type { DiscoveryRecord } from './discovery';

const auth = (d: DiscoveryRecord) => ({ Authorization: `Bearer ${d.token}` });

export async function getJson<T>(daemon: DiscoveryRecord, path: string): Promise<T> {
  return JSON.parse(await getText(daemon, path)) as T;
}

export async function getText(daemon: DiscoveryRecord, path: string): Promise<string> {
  const res = await fetch(`${daemon.controlUrl}${path}`, { headers: auth(daemon) });
  const body = await res.text();
  if (!res.ok) throw new Error(`the daemon (pid ${daemon.pid}) answered ${res.status}: ${body}`);
  return body;
}

/** Opens /v1/follow; each message is handed over parsed; resolves when the stream ends. */
export function follow(daemon: DiscoveryRecord, query: string, onMessage: (message: Record<string, unknown>) => void): { done: Promise<{ code: number; reason: string }>; stop(): void } {
  const ws = new WebSocket(`${daemon.controlUrl.replace(/^http/, 'ws')}/v1/follow${query}`, { headers: auth(daemon) });
  ws.on('message', (data) => onMessage(JSON.parse(String(data)) as Record<string, unknown>));
  const done = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('error', (e) => resolve({ code: 1006, reason: e.message }));
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return { done, stop: () => ws.close(1000) };
}

/**
 * Sends this process's connection events to the daemon's recorder. Events before the stream opens wait in
 * order; close() flushes them, then closes. A daemon that went away costs nothing but the record.
 */
export function forwardEvents(daemon: DiscoveryRecord, events: ConnectionEvents): { close(): Promise<void> } {
  const ws = new WebSocket(`${daemon.controlUrl.replace(/^http/, 'ws')}/v1/ingest`, { headers: auth(daemon) });
  ws.on('error', () => undefined);
  const opened = new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('close', () => resolve(false));
  });
  const pending: string[] = [];
  const send = (event: keyof ConnectionObserver) => (data: object) => {
    const line = JSON.stringify({ event, data }, (_k, v: unknown) => (isBufferJson(v) ? Buffer.from(v.data).toString('base64') : v));
    if (ws.readyState === WebSocket.OPEN) ws.send(line);
    else if (ws.readyState === WebSocket.CONNECTING) pending.push(line);
  };
  void opened.then((ok) => { if (ok) pending.splice(0).forEach((line) => ws.send(line)); });
  const unsubscribe = events.subscribe({
    connectionOpened: send('connectionOpened'), frame: send('frame'), connectionClosed: send('connectionClosed'), handshakeRefused: send('handshakeRefused'),
  });
  return {
    async close() {
      unsubscribe();
      if (!(await opened)) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000, 'done');
        setTimeout(() => { ws.terminate(); resolve(); }, 2000).unref();
      });
    },
  };
}

function isBufferJson(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data);
}
