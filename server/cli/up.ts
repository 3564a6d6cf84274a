// `handshake up [SERVICE…] [--no-deps]`: starts the stack in dependency order with a line per service as it
// progresses; exit 1 naming the failed service, its cause and what it blocked. Also the loader the other
// stack verbs (stop, restart, logs) share: config, compose project, and the errors people meet.
import { loadConfig } from '../config/config';
import { loadComposeProject, type ComposeProject } from '../stack/compose';
import { ComposeError } from '../stack/compose/model';
import { ComposeCliMissingError, ComposeCommandError, EngineUnreachableError, explainFailure, formatProgress, up, type OrchestrationResult } from '../stack/orchestrator';
import type { EngineTarget } from '../stack/engine/select';
import { chooseEngine, CONTEXT_OPTION } from './status';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, parseDuration, type Output, type Verb } from './verb';

/** Loads the workspace's compose project and the engine (`--context`) and runs a stack verb on them, turning
 *  known failures into exit codes. */
export async function withStack(io: Output, verb: string, context: unknown, run: (project: ComposeProject, engine: EngineTarget) => Promise<number>): Promise<number> {
  // loadConfig's ConfigError and an unknown context are not caught here: main reports them like any verb's.
  const config = loadConfig(process.cwd());
  const engine = chooseEngine(context, config);
  try {
    return await run(loadComposeProject(process.cwd(), config, process.env), engine);
  } catch (e) {
    if (e instanceof ComposeError) {
      io.err(`handshake ${verb}: compose error: ${e.message}`);
      return EXIT_USAGE;
    }
    if (!(e instanceof EngineUnreachableError) && !(e instanceof ComposeCliMissingError) && !(e instanceof ComposeCommandError)) throw e;
    io.err(`handshake ${verb}: ${e.message}`);
    return EXIT_CHECK_FAILED;
  }
}

export const upVerb: Verb = {
  name: 'up',
  usage: 'handshake up [SERVICE…] [--no-deps] [--stepwise] [--timeout 5m] [--json] [--context NAME]\n' +
    '  --stepwise: one compose command per service once Handshake saw its conditions met (for Compose versions\n' +
    '              that ignore depends_on conditions; nothing is created before its dependencies are ready)',
  options: { 'no-deps': { type: 'boolean' }, stepwise: { type: 'boolean' }, timeout: { type: 'string' }, json: { type: 'boolean' }, ...CONTEXT_OPTION },
  allowPositionals: true,
  async run(values, positionals, io) {
    const json = values.json === true;
    const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout as string);
    return withStack(io, 'up', values.context, async (project, engine) => {
      const width = Math.max(...Object.keys(project.services).map((s) => s.length));
      const result = await up(project, positionals, {
        noDeps: values['no-deps'] === true,
        stepwise: values.stepwise === true,
        timeoutMs,
        engine,
        // One line per change as it happens; JSON Lines under --json.
        onProgress: (e) => io.out(json ? JSON.stringify({ type: 'progress', ...e }) : formatProgress(e, width)),
      });
      report(io, result, json);
      return result.ok ? EXIT_OK : EXIT_CHECK_FAILED;
    });
  },
};

function report(io: Output, result: OrchestrationResult, json: boolean): void {
  if (json) {
    io.out(JSON.stringify({ type: 'result', ...result }));
    return;
  }
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  if (result.ok) {
    io.out(`up: ${result.settled.length} service(s) ready in ${seconds} s`);
    return;
  }
  for (const line of explainFailure(result)) io.err(line);
  const last = result.failure?.lastLines;
  if (last?.length) io.err(`  last log lines:\n${last.map((l) => `    ${l}`).join('\n')}`);
}
