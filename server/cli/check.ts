// `handshake check`: a scenario (a file, or a built-in preset) run by many users at once against a target,
// with a live progress line in a terminal and a report in text, JSON or JUnit XML. Exit 0 when every step
// and invariant held, 1 when a check failed, 2 on a bad scenario or usage. `--merge` joins shards' reports.
import fs from 'node:fs';
import { workspaceIdentity } from '../auth/identity';
import { loadScenario, ScenarioError } from '../check/load';
import { PRESET_NAMES, presetScenario } from '../check/presets';
import { mergeReports, parseReport, summarise, type CheckReport } from '../check/report';
import { renderJunit, renderText } from '../check/render';
import { Progress, runScenario, type Shard } from '../check/runner';
import type { Scenario } from '../check/scenario';
import { tokenIssuer } from '../check/tokens';
import { loadConfig } from '../config/config';
import { recordIntoDaemon } from '../daemon/record-into';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, parseDuration, resolveTarget, UsageError, type Output, type Verb } from './verb';

type Format = 'text' | 'json' | 'junit';

export const checkVerb: Verb = {
  name: 'check',
  usage: `handshake check SCENARIO|--preset ${PRESET_NAMES.join('|')} [--target NAME|URL] [--users N] [--concurrency N] [--ramp DURATION]`
    + ' [--report text|json|junit | --json] [--out FILE] [--junit FILE] [--shard K/N] [--daemon PID]\n       handshake check --merge REPORT.json… [--report text|json|junit] [--out FILE] [--junit FILE]',
  allowPositionals: true,
  options: {
    preset: { type: 'string' }, target: { type: 'string' }, users: { type: 'string' }, concurrency: { type: 'string' }, ramp: { type: 'string' },
    report: { type: 'string' }, out: { type: 'string' }, junit: { type: 'string' }, shard: { type: 'string' }, merge: { type: 'boolean' }, json: { type: 'boolean' }, daemon: { type: 'string' },
  },
  async run(values, positionals, io) {
    const format = parseFormat(values.json === true ? 'json' : (values.report as string | undefined) ?? 'text');
    let report: CheckReport;
    if (values.merge === true) {
      if (positionals.length === 0) throw new UsageError('--merge needs the JSON reports to merge');
      try {
        report = mergeReports(positionals.map((file) => parseReport(fs.readFileSync(file, 'utf8'), file)));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else {
      let scenario: Scenario;
      try {
        scenario = chooseScenario(values.preset as string | undefined, positionals);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        io.err(`handshake check: bad scenario: ${e.message}`);
        return EXIT_USAGE;
      }
      report = await run(scenario, values);
    }
    return deliver(report, format, values, io);
  },
};

function chooseScenario(preset: string | undefined, positionals: string[]): Scenario {
  if (preset !== undefined) {
    if (positionals.length > 0) throw new UsageError('give a scenario file or --preset, not both');
    const scenario = presetScenario(preset);
    if (!scenario) throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')} (got ${JSON.stringify(preset)})`);
    return scenario;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name a scenario file or a --preset' : 'one scenario file at a time');
  return loadScenario(positionals[0]!);
}

async function run(scenario: Scenario, values: Record<string, unknown>): Promise<CheckReport> {
  const users = optionalCount(values.users, '--users');
  if (users !== undefined && 'list' in scenario.users) throw new UsageError(`--users: the scenario ${scenario.name} lists its users by name`);
  const config = loadConfig(process.cwd());
  const target = resolveTarget((values.target as string | undefined) ?? scenario.target, config, values.target ? '--target' : 'the scenario\'s target');
  const progress = new Progress();
  const recording = recordIntoDaemon(values.daemon as string | undefined);
  // A live line in a terminal only: CI logs get the summary, not a thousand carriage returns.
  const live = process.stderr.isTTY === true ? setInterval(() => process.stderr.write(`\r${progressLine(progress)}\u001b[K`), 250) : undefined;
  try {
    return await runScenario({
      scenario, url: target.url, auth: scenario.auth ?? target.auth, users, progress,
      tokens: tokenIssuer(scenario.token, () => workspaceIdentity(config)),
      concurrency: optionalCount(values.concurrency, '--concurrency'),
      rampMs: values.ramp === undefined ? undefined : parseDuration(values.ramp as string),
      shard: values.shard === undefined ? undefined : parseShard(values.shard as string),
      ...(recording ? { record: recording.events } : {}),
    });
  } finally {
    await recording?.close();
    if (live) {
      clearInterval(live);
      process.stderr.write(`\r${progressLine(progress)}\u001b[K\n`);
    }
  }
}

function progressLine(p: Progress): string {
  return `users ${p.usersDone}/${p.users} done, ${p.usersFailed} failed; steps ${p.passed} passed, ${p.failed} failed`;
}

/** The report where it was asked for; with --out (or --junit) the text summary still goes to the terminal. */
function deliver(report: CheckReport, format: Format, values: Record<string, unknown>, io: Output): number {
  const summary = summarise(report);
  const rendered = format === 'junit' ? renderJunit(report) : format === 'json' ? JSON.stringify({ ...report, summary }) : renderText(report, summary, io.color);
  const out = values.out as string | undefined;
  if (out) fs.writeFileSync(out, format === 'text' ? `${rendered}\n` : rendered);
  if (typeof values.junit === 'string') fs.writeFileSync(values.junit, renderJunit(report));
  if (!out) io.out(rendered);
  else if (format !== 'text') io.out(renderText(report, summary, io.color));
  return summary.ok ? EXIT_OK : EXIT_CHECK_FAILED;
}

function parseFormat(text: string): Format {
  if (text !== 'text' && text !== 'json' && text !== 'junit') throw new UsageError(`--report must be text, json or junit (got ${JSON.stringify(text)})`);
  return text;
}

function optionalCount(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1 (got ${JSON.stringify(value)})`);
  return n;
}

function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be K/N with 1 <= K <= N, such as 2/4 (got ${JSON.stringify(text)})`);
  return { index, count };
}
