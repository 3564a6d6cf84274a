// `handshake status [--json] [--watch]`: the stack's readiness as a table a person reads at a glance.
// Exit 0 only when every service is ready, 1 otherwise (engine down included), 2 on config/compose errors.
import { styleText } from 'node:util';
import type { Readiness, ServiceState, StackState } from '../../$shared/protocol';
import { loadConfig, type HandshakeConfig } from '../config/config';
import { follow } from '../daemon/control-client';
import { findDaemon, requireDaemon, type DiscoveryRecord } from '../daemon/discovery';
import { selectEngine, type EngineTarget } from '../stack/engine/select';
import { StackMonitor } from '../stack/monitor';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type Output, type Verb } from './verb';

const COLOR: Record<Readiness, Parameters<typeof styleText>[0]> = {
  ready: 'green', pending: 'yellow', blocked: 'red', failed: 'red', absent: 'gray', stopped: 'gray',
};

/** `--context NAME`, on every stack verb: the Docker context to use, as `docker --context NAME` would. */
export const CONTEXT_OPTION = { context: { type: 'string' } } as const;

/** The engine a stack verb acts on: `--context`, else as the Docker CLI chooses (with the config's docker.context).
 *  A context that does not exist is a usage error, before anything is tried. */
export function chooseEngine(context: unknown, config: HandshakeConfig): EngineTarget {
  const target = selectEngine({ context: typeof context === 'string' ? context : undefined, config });
  if (target.error) throw new UsageError(target.error);
  return target;
}

/** Starts a monitor on the current workspace: the state every stack verb reads. */
export async function openStack(context: unknown, watchFiles = false): Promise<StackMonitor> {
  const workspace = process.cwd();
  const config = loadConfig(workspace);
  const monitor = new StackMonitor({ workspace, config, engine: chooseEngine(context, config), watchFiles });
  await monitor.start();
  return monitor;
}

/** The exit code a stack state deserves, and the one line printed when it is not a table. */
export function stackProblem(state: StackState): { code: number; line: string } | undefined {
  if (state.composeError) return { code: EXIT_USAGE, line: `compose: ${state.composeError}` };
  if (state.engine.status !== 'connected') return { code: EXIT_CHECK_FAILED, line: `${state.engine.error}. What to do: ${state.engine.hint}` };
  return undefined;
}

export function renderStatus(state: StackState, io: Output, width = 160): string[] {
  const problem = stackProblem(state);
  if (problem) return [problem.line];
  // io.color already weighed NO_COLOR and the terminal; styleText must not second-guess it.
  const paint = (color: Parameters<typeof styleText>[0], text: string) => (io.color ? styleText(color, text, { validateStream: false }) : text);
  const rows = state.services.map((s) => [s.name, s.readiness, container(s), s.container.health === 'none' ? '-' : s.container.health, probes(s), cause(s)]);
  const header = ['SERVICE', 'READINESS', 'CONTAINER', 'HEALTH', 'PROBES', 'BLOCKED BY / CAUSE'];
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[], readiness?: Readiness) => {
    const text = cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i] as number) : c)).join('  ');
    const clipped = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    // The readiness cell is the second column: colour it where it stands, whatever the service is called.
    const at = (widths[0] as number) + 2;
    return readiness && clipped.length >= at + readiness.length
      ? `${clipped.slice(0, at)}${paint(COLOR[readiness], readiness)}${clipped.slice(at + readiness.length)}` : clipped;
  };
  const project = state.project;
  const counts = Object.entries(state.services.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.readiness]: (acc[s.readiness] ?? 0) + 1 }), {}))
    .map(([r, n]) => `${n} ${r}`).join(', ');
  const firstBroken = state.services.find((s) => s.readiness !== 'ready');
  return [
    `compose project ${project?.name} (${project?.files.join(', ')}) · Docker ${state.engine.version} on ${state.engine.socket}`,
    line(header),
    ...rows.map((r, i) => line(r, state.services[i]?.readiness)),
    ...state.targets.map((t) => `target ${t.name} ${t.url}: ${t.ready ? paint('green', 'ready') : paint('red', 'not ready')}` +
      `${t.ready ? '' : ` (${t.probes.filter((p) => !p.ok).map((p) => p.detail).join('; ')})`}`),
    state.ready ? paint('green', `stack ready (${counts})`)
      : `${paint('red', `stack not ready (${counts})`)}${firstBroken ? `: handshake why ${firstBroken.name} explains it` : ''}`,
  ];
}

function container(s: ServiceState): string {
  const c = s.container;
  return c.exitCode !== undefined ? `${c.status} (${c.exitCode})` : c.status;
}

function probes(s: ServiceState): string {
  if (s.probes.length === 0) return '-';
  const ok = s.probes.filter((p) => p.ok).length;
  return `${ok}/${s.probes.length} ok`;
}

function cause(s: ServiceState): string {
  if (s.readiness === 'ready') return '';
  const root = s.rootCause;
  const error = root?.firstErrorLine ? `; ${root.firstErrorLine}` : '';
  return `${s.summary}${error}`;
}

export const statusVerb: Verb = {
  name: 'status',
  usage: 'handshake status [--json] [--watch [--daemon PID]] [--context NAME]',
  options: { json: { type: 'boolean' }, watch: { type: 'boolean' }, daemon: { type: 'string' }, ...CONTEXT_OPTION },
  async run(values, _positionals, io) {
    const print = (state: StackState) => {
      if (values.json) io.out(JSON.stringify(state));
      else io.out(renderStatus(state, io, process.stdout.columns || 160).join('\n'));
    };
    const exitCode = (state: StackState) => stackProblem(state)?.code ?? (state.ready ? EXIT_OK : EXIT_CHECK_FAILED);
    const clear = process.stdout.isTTY && !values.json ? '\x1b[2J\x1b[H' : '';
    const draw = (state: StackState) => {
      if (clear) process.stdout.write(clear);
      print(state);
    };
    // Live state comes from a running daemon's monitor of this workspace (the one the editor shows) when there is
    // one; --context asks for an engine of the user's choosing, which this process watches itself.
    if (values.watch && values.context === undefined) {
      const daemon = values.daemon === undefined ? findDaemon(undefined, process.env, process.cwd()) : requireDaemon(values.daemon as string);
      if (daemon) return watchDaemon(daemon, draw, exitCode, io, values.json === true);
      io.err('handshake status: no Handshake daemon of this workspace is running; watching the stack from this process');
    }
    const monitor = await openStack(values.context, values.watch === true);
    if (!values.watch) {
      await monitor.stop();
      const problem = stackProblem(monitor.state);
      if (problem && !values.json) io.err(`handshake status: ${problem.line}`);
      else print(monitor.state);
      return exitCode(monitor.state);
    }
    // --watch: redraw on every change until Ctrl-C; the exit code is the last state's.
    draw(monitor.state);
    monitor.on('change', draw);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await monitor.stop();
    return exitCode(monitor.state);
  },
};

/** `status --watch` on a daemon's monitor: its stack states as they change, until Ctrl-C or the daemon stops. */
async function watchDaemon(daemon: DiscoveryRecord, draw: (state: StackState) => void, exitCode: (state: StackState) => number, io: Output, json: boolean): Promise<number> {
  if (!json) io.err(`handshake status: watching the stack of daemon ${daemon.pid} (${daemon.kind}, ${daemon.workspace})`);
  let last: StackState | undefined;
  const stream = follow(daemon, '?stack=1&connections=0', (m) => {
    if (m.kind !== 'stack') return;
    last = m.state as StackState;
    draw(last);
  });
  process.once('SIGINT', () => stream.stop());
  const end = await stream.done;
  if (end.code !== 1000) io.err(`handshake status: the daemon's stream ended: ${end.code} ${end.reason}`);
  return last ? exitCode(last) : EXIT_CHECK_FAILED;
}
