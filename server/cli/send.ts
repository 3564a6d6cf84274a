// `handshake send`: one authenticated connection as a user, one message, the events printed as they
// arrive, and exit 0 only when the expected sequence came in order (1 with the reason otherwise).
import { loadConfig } from '../config/config';
import { workspaceIdentity } from '../auth/identity';
import { UNPARSED_FRAME, type ReceivedEvent } from '../wsclient/envelope';
import { runExchange, type ExchangeResult } from '../wsclient/exchange';
import { parseExpectText } from '../wsclient/expect-text';
import type { Expectation } from '../wsclient/sequence';
import { explainFailure, type AuthMode } from '../wsclient/failure';
import { openSession } from '../wsclient/session';
import { recordIntoDaemon } from '../daemon/record-into';
import { EXIT_CHECK_FAILED, EXIT_OK, parseDuration, parseJsonObject, requiredOption, resolveTarget, UsageError, type Output, type Verb } from './verb';

const DEFAULT_TIMEOUT = '10s';

export const sendVerb: Verb = {
  name: 'send',
  usage: 'handshake send --url URL|TARGET --user U [--auth header|subprotocol] --message JSON [--expect a,b,c|JSON] [--timeout 10s] [--json] [--daemon PID]',
  options: {
    url: { type: 'string' }, user: { type: 'string' }, auth: { type: 'string' }, message: { type: 'string' },
    expect: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' }, daemon: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const user = requiredOption(values.user, '--user');
    const message = parseJsonObject('--message', requiredOption(values.message, '--message'), '{"type":"start_agent","data":{"query":"hi"}}');
    const timeoutMs = parseDuration((values.timeout as string | undefined) ?? DEFAULT_TIMEOUT);
    if (!(timeoutMs > 0)) throw new UsageError('--timeout must be longer than 0');
    const expected = values.expect === undefined ? undefined : parseExpect(values.expect as string);
    const urlOrName = requiredOption(values.url, '--url');
    const config = loadConfig(process.cwd());
    const target = resolveTarget(urlOrName, config, '--url');
    const auth = parseAuth((values.auth as string | undefined) ?? target.auth);

    // Valid for the whole exchange plus a margin; it never leaves this process except in the handshake.
    const token = await workspaceIdentity(config).mint(user, { ttl: `${Math.ceil(timeoutMs / 1000) + 60}s` });
    const recording = recordIntoDaemon(values.daemon as string | undefined);
    try {
      const started = performance.now();
      const opened = await openSession({ url: target.url, token, auth, timeoutMs, ...(recording ? { record: { events: recording.events, via: 'send', userId: user } } : {}) });
      if (!opened.ok) return report({ ok: false, reason: explainFailure(opened.failure), received: [] }, io, values.json === true);
      const result = await runExchange({
        session: opened.session, message, expected, timeoutMs, startedAt: started,
        onEvent: (event, counted) => io.out(values.json ? JSON.stringify(event) : eventLine(event, counted, io.color)),
      });
      await opened.session.close(1000, 'handshake send done');
      return report(result, io, values.json === true);
    } finally {
      await recording?.close();
    }
  },
};

function parseExpect(text: string): Expectation[] {
  try {
    return parseExpectText(text);
  } catch (e) {
    throw new UsageError(`--expect ${(e as Error).message}`);
  }
}

function parseAuth(text: string): AuthMode {
  if (text !== 'header' && text !== 'subprotocol') throw new UsageError(`--auth must be header or subprotocol, not ${JSON.stringify(text)}`);
  return text;
}

/** One line per event: time, type, tool or agent, and the start of its data. */
function eventLine(event: ReceivedEvent, counted: boolean, color: boolean): string {
  const time = event.timestamp.slice(11, 23);
  const data = JSON.stringify(event.data);
  const line = [time, event.type.padEnd(22), (event.tool_name ?? event.agent_name ?? '').padEnd(16),
    data.length > 100 ? `${data.slice(0, 99)}…` : data].join('  ').trimEnd();
  const note = counted ? line : `${line}  (another run of this user)`;
  const isError = event.type.endsWith('_error') || event.type === UNPARSED_FRAME;
  return color && isError ? `\u001b[31m${note}\u001b[0m` : note;
}

function report(result: ExchangeResult, io: Output, json: boolean): number {
  if (json) io.out(JSON.stringify({ result: result.ok ? 'passed' : 'failed', reason: result.reason, received: result.received }));
  else if (result.ok) io.out(`ok: ${result.reason}`);
  else io.err(`failed: ${result.reason}`);
  return result.ok ? EXIT_OK : EXIT_CHECK_FAILED;
}
