// Shared by the `handshake check` tests: a private workspace, the CLI run as a user runs it (a child process
// of dist/cli.js), and the runner called in-process on a scenario written as YAML, with tokens minted with
// the secret the test backend verifies (test/backend/support.ts).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workspaceIdentity } from '../../server/auth/identity';
import { loadScenario } from '../../server/check/load';
import type { CheckReport } from '../../server/check/report';
import { runScenario, type RunOptions } from '../../server/check/runner';
import { tokenIssuer } from '../../server/check/tokens';
import { loadConfig } from '../../server/config/config';
import { SECRET } from '../backend/support';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-check-'));
process.on('exit', () => fs.rmSync(workspace, { recursive: true, force: true }));

export interface CliRun { code: number; stdout: string; stderr: string }

export function check(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'check', ...args], {
      cwd: workspace, timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env.PATH, HOME: workspace, XDG_STATE_HOME: workspace, NO_COLOR: '1', HANDSHAKE_JWT_SECRET: SECRET, ...env },
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

/** Writes a file into the workspace and returns its path. */
export function writeFile(name: string, text: string): string {
  const file = path.join(workspace, name);
  fs.writeFileSync(file, text);
  return file;
}

let written = 0;

/** Runs a scenario given as YAML in this process, against `url`, tokens minted with the test secret. */
export async function runYaml(yaml: string, url: string, opts: Partial<RunOptions> = {}): Promise<CheckReport> {
  const scenario = loadScenario(writeFile(`scenario-${++written}.yaml`, yaml));
  const identity = () => workspaceIdentity(loadConfig(workspace, {}), { HANDSHAKE_JWT_SECRET: SECRET });
  return runScenario({ scenario, url, auth: scenario.auth ?? 'header', tokens: tokenIssuer(scenario.token, identity), ...opts });
}

/** "user step status" for every case, in report order: what a reader of the report sees per user and step. */
export function caseTable(report: CheckReport): string[] {
  return report.cases.map((c) => `${c.user} ${report.steps[c.step]} ${c.status}`);
}
