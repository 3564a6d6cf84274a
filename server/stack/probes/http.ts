// HTTP health probe (GET /health, and the backend's /ws/health): the expected status (200) and a JSON
// body with a `status` field that does not say the service is down. The rest of the body may drift.
import type { ProbeResult } from '../../../$shared/protocol';
import { bodyMessage, hostOf } from '../../wsclient/failure';
import { networkOutcome, probeResult } from './result';

const DOWN = /^(unhealthy|down|error|fail(ed|ing)?|critical|unavailable)$/i;

export async function probeHttp(type: 'http' | 'ws-health', url: string, expectStatus: number, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const done = (ok: boolean, outcome: string) => probeResult(type, url, ok, `GET ${url}: ${outcome}`, started);
  let response: Response;
  let text: string;
  try {
    // Node's fetch; the abort signal bounds the whole exchange, body included.
    const signal = AbortSignal.timeout(timeoutMs);
    response = await fetch(url, { signal, redirect: 'manual', headers: { accept: 'application/json' } });
    text = (await response.text()).slice(0, 4096);
  } catch (e) {
    const error = e as Error & { cause?: Error };
    return done(false, networkOutcome(error.cause ?? error, hostOf(url)));
  }
  if (response.status !== expectStatus) {
    const said = bodyMessage(text);
    return done(false, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} (expected ${expectStatus})${said ? `: ${said}` : ''}`);
  }
  let status: unknown;
  try {
    status = (JSON.parse(text) as Record<string, unknown>)?.status;
  } catch {
    return done(false, `HTTP ${response.status} but the body is not JSON: ${bodyMessage(text) || '(empty)'}`);
  }
  if (status === undefined || status === null) return done(false, `HTTP ${response.status} but the JSON body has no "status" field: ${bodyMessage(text)}`);
  if (DOWN.test(String(status))) return done(false, `HTTP ${response.status} with status ${JSON.stringify(status)}`);
  return done(true, `HTTP ${response.status}, status ${JSON.stringify(status)}`);
}
