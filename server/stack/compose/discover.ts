// Which compose files make up the workspace's stack. Order of precedence: the config's `compose.files`,
// then COMPOSE_FILE (as Docker Compose reads it), then discovery: the names Docker Compose itself picks up
// (compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml, plus the matching *.override file)
// in the workspace, else under docker/; failing those, a single docker-compose*.y(a)ml variant.
import fs from 'node:fs';
import path from 'node:path';
import type { HandshakeConfig } from '../../config/config';
import { ComposeError } from './model';

const PRIMARY = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const SEARCH_DIRS = ['.', 'docker'];
const VARIANT = /^(docker-)?compose[.-].*\.ya?ml$/;

/** The `compose` section of handshake.config.json (schemas/config.schema.json). */
export interface ComposeSettings {
  files?: string[];
  projectName?: string;
  profiles?: string[];
}

export function composeSettings(config: HandshakeConfig | undefined): ComposeSettings {
  return (config?.raw.compose ?? {}) as ComposeSettings;
}

export function discoverComposeFiles(workspace: string, config: HandshakeConfig | undefined,
  env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = composeSettings(config).files;
  if (configured?.length) return configured.map((f) => mustExist(path.resolve(workspace, f), config?.file ?? 'handshake.config.json'));
  if (env.COMPOSE_FILE) {
    // Docker Compose separates COMPOSE_FILE entries with the platform's path separator.
    return env.COMPOSE_FILE.split(env.COMPOSE_PATH_SEPARATOR ?? path.delimiter).filter(Boolean)
      .map((f) => mustExist(path.resolve(workspace, f), 'COMPOSE_FILE'));
  }
  for (const dir of SEARCH_DIRS) {
    const abs = path.resolve(workspace, dir);
    const primary = PRIMARY.find((name) => isFile(path.join(abs, name)));
    if (!primary) continue;
    const override = primary.replace(/\.ya?ml$/, '.override');
    const overrides = ['.yaml', '.yml'].map((ext) => path.join(abs, override + ext)).filter(isFile).slice(0, 1);
    return [path.join(abs, primary), ...overrides];
  }
  const variants = SEARCH_DIRS.flatMap((dir) => listDir(path.resolve(workspace, dir))
    .filter((name) => VARIANT.test(name) && !name.includes('.override.'))
    .map((name) => path.resolve(workspace, dir, name)));
  if (variants.length === 1) return variants;
  if (variants.length > 1) {
    throw new ComposeError(workspace, 0, `several compose files and none is the default: ${variants.map((v) => path.relative(workspace, v)).join(', ')}; ` +
      'name the ones to use in handshake.config.json under compose.files');
  }
  throw new ComposeError(workspace, 0, `no compose file found (looked for ${PRIMARY.join(', ')} and docker-compose*.yml, here and under docker/); ` +
    'create one or name it in handshake.config.json under compose.files');
}

function mustExist(file: string, from: string): string {
  if (!isFile(file)) throw new ComposeError(file, 0, `compose file named by ${from} does not exist`);
  return file;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}
