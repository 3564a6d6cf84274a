// The baseline of the runner-cost benchmark: the golden path written by hand with `ws`, as a team's own
// script would do it. Per user: mint a token (jose, as Handshake does), connect with it, wait for
// connection_established, start an agent, wait for that run's agent_completed (checking the five events came
// in order), close. Users start spread over the ramp, all at once. Prints the sessions completed as JSON.
import WebSocket from 'ws';
import { mintToken } from '../server/auth/token';

const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

async function session(url: string, secret: string, user: string): Promise<boolean> {
  const token = await mintToken({ user, secret, ttl: '15m' });
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
  return new Promise<boolean>((resolve) => {
    const seen: string[] = [];
    let runId: string | undefined;
    const timer = setTimeout(() => ws.terminate(), 60_000);
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { type: string; run_id?: string };
      if (event.type === 'connection_established') return ws.send(JSON.stringify({ type: 'start_agent', data: { query: `handshake check for ${user}` } }));
      runId ??= event.run_id;
      if (event.run_id !== runId) return;
      seen.push(event.type);
      if (event.type === 'agent_completed') ws.close(1000);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(timer);
      let at = 0;
      for (const type of seen) if (type === FIVE[at]) at++;
      resolve(at === FIVE.length);
    });
  });
}

async function main(): Promise<void> {
  const [url, users, rampMs] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
  const secret = process.env.HANDSHAKE_JWT_SECRET!;
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: users }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (rampMs * i) / users - performance.now())));
    return session(url, secret, `bare-${i + 1}`);
  }));
  console.log(JSON.stringify({ completed: results.filter(Boolean).length }));
}

void main();
