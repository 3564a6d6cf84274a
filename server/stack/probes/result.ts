// One shape for every probe's outcome: the sentence says what was tried, against what, what came back,
// and always ends with how long it waited.
import type { ProbeResult } from '../../../$shared/protocol';

export function probeResult(type: ProbeResult['type'], target: string, ok: boolean, sentence: string, startedAt: number): ProbeResult {
  const durationMs = Math.round(performance.now() - startedAt);
  return { type, target, ok, detail: `${sentence} after ${durationMs} ms`, durationMs, checkedAt: new Date().toISOString() };
}

/** Why a request failed before any answer, in the words the WebSocket explanations use too. */
export function networkOutcome(error: Error, target: string): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') return `connection refused: nothing is listening on ${target}`;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer: timed out';
  if (/^(ENOTFOUND|EAI_)/.test(code)) return `DNS lookup failed (${code})`;
  if (/CERT|SSL|TLS|EPROTO/.test(code) || /certificate|ssl|tls/i.test(error.message)) return `TLS error (${code || 'TLS'}): ${error.message}`;
  return `network error${code ? ` (${code})` : ''}: ${error.message}`;
}
