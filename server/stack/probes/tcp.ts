// TCP probe: can a connection be opened to the published port? The cheapest sign a server listens.
import net from 'node:net';
import type { ProbeResult } from '../../../$shared/protocol';
import { networkOutcome, probeResult } from './result';

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const target = `${host}:${port}`;
  const started = performance.now();
  const done = (ok: boolean, outcome: string) => probeResult('tcp', target, ok, `TCP connect to ${target}: ${outcome}`, started);
  return new Promise((resolve) => {
    // A plain connect, closed at once: nothing is sent, so no protocol is disturbed.
    const socket = net.connect({ host, port });
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(done(false, 'no answer: timed out')), timeoutMs);
    socket.once('connect', () => finish(done(true, 'open')));
    socket.once('error', (e: Error) => finish(done(false, networkOutcome(e, target))));
  });
}
