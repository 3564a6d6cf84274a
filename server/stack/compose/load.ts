// Reads the workspace's compose files into a ComposeProject: YAML parsed with the `yaml` library (its
// LineCounter pins every error to a line), variables interpolated, files merged in order as Docker
// Compose merges overrides, profiles applied, dependencies checked (unknown service, cycles).
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { HandshakeConfig } from '../../config/config';
import { inferProbes } from '../probes/infer';
import { composeSettings, discoverComposeFiles } from './discover';
import { interpolate, interpolationEnv, InterpolationError, type Interpolation } from './interpolate';
import { ComposeError, type ComposeProject, type ComposeService } from './model';
import { findCycle } from './order';
import { dependsOnMap, environmentMap, normaliseProbes, normaliseService, ServiceShapeError } from './service';

type Raw = Record<string, unknown>;

interface ParsedFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  value: Raw;
}

export function loadComposeProject(workspace: string, config: HandshakeConfig | undefined,
  env: NodeJS.ProcessEnv = process.env): ComposeProject {
  const files = discoverComposeFiles(workspace, config, env);
  const workingDir = path.dirname(files[0] as string);
  const ctx: Interpolation = { env: interpolationEnv(workingDir, env), warnings: new Set() };
  const parsed = files.map((file) => parseComposeFile(file, ctx));
  const settings = composeSettings(config);

  const rawServices: Record<string, Raw> = {};
  for (const { value } of parsed) {
    for (const [name, service] of Object.entries((value.services ?? {}) as Record<string, Raw>)) {
      const comparable = { ...service, depends_on: dependsOnMap(service?.depends_on), environment: environmentMap(service?.environment, {}) };
      rawServices[name] = merge(rawServices[name] ?? {}, comparable) as Raw;
    }
  }
  if (Object.keys(rawServices).length === 0) throw new ComposeError(files[0] as string, 0, 'defines no services');

  const warnings: string[] = [];
  const active = new Set([...(settings.profiles ?? []), ...(ctx.env.COMPOSE_PROFILES ?? '').split(',').map((p) => p.trim()).filter(Boolean)]);
  const configured = (config?.raw.services ?? {}) as Record<string, { probes?: unknown }>;
  const services: Record<string, ComposeService> = {};
  const inactive: string[] = [];
  for (const [name, raw] of Object.entries(rawServices)) {
    const where = locate(parsed, ['services', name]);
    let service;
    try {
      service = normaliseService(name, raw, where, workingDir, ctx.env, warnings);
    } catch (e) {
      if (!(e instanceof ServiceShapeError)) throw e;
      const at = locate(parsed, ['services', name, ...e.at]);
      throw new ComposeError(at.file, at.line, `service ${name}: ${e.message}`);
    }
    if (service.profiles.length > 0 && !active.has('*') && !service.profiles.some((p) => active.has(p))) {
      inactive.push(name);
      continue;
    }
    const { declaredProbes, ...rest } = service;
    const fromConfig = configured[name]?.probes;
    let probes;
    try {
      probes = fromConfig !== undefined ? normaliseProbes(fromConfig, []) : declaredProbes ?? inferProbes(name, rest.ports);
    } catch (e) {
      throw new ComposeError(config?.file ?? 'handshake.config.json', 0, `services.${name}.probes: ${(e as Error).message}`);
    }
    services[name] = { ...rest, probes };
  }

  for (const service of Object.values(services)) {
    for (const dep of service.dependsOn) {
      if (services[dep.service]) continue;
      const at = locate(parsed, ['services', service.name, 'depends_on', dep.service]);
      if (!rawServices[dep.service]) throw new ComposeError(at.file, at.line, `service ${service.name} depends on ${dep.service}, which is not defined`);
      warnings.push(`service ${service.name} depends on ${dep.service}, whose profiles are not active; that dependency is left out`);
    }
    service.dependsOn = service.dependsOn.filter((d) => services[d.service]);
  }
  const cycle = findCycle(services);
  if (cycle) {
    const at = locate(parsed, ['services', cycle[0] as string, 'depends_on']);
    throw new ComposeError(at.file, at.line, `dependency cycle: ${cycle.join(' -> ')}`);
  }

  const topLevelName = parsed.map((p) => p.value.name).filter((n) => typeof n === 'string').pop() as string | undefined;
  const name = projectName(settings.projectName ?? ctx.env.COMPOSE_PROJECT_NAME ?? topLevelName ?? path.basename(workingDir));
  return { name, files, workingDir, services, inactive, warnings: [...ctx.warnings, ...warnings] };
}

/** Compose's project name rule: lower case, only [a-z0-9_-], starting with a letter or digit. */
export function projectName(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

function parseComposeFile(file: string, ctx: Interpolation): ParsedFile {
  const lines = new LineCounter();
  // merge: true honours YAML merge keys (<<: *defaults), common in compose files.
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { lineCounter: lines, merge: true, prettyErrors: false });
  const bad = doc.errors[0];
  if (bad) throw new ComposeError(file, lines.linePos(bad.pos[0]).line, `invalid YAML: ${bad.message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new ComposeError(file, 1, 'the top level must be a mapping with a services key');
  // Interpolate every string value (never keys), where it stands, so an error can name its line.
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string') return;
      try {
        node.value = interpolate(node.value, ctx);
      } catch (e) {
        if (!(e instanceof InterpolationError)) throw e;
        throw new ComposeError(file, node.range ? lines.linePos(node.range[0]).line : 0, e.message);
      }
    },
  });
  const value = (doc.toJS() ?? {}) as Raw;
  if (value.services !== undefined && (typeof value.services !== 'object' || value.services === null || Array.isArray(value.services))) {
    throw new ComposeError(file, lineOf({ file, doc, lines, value }, ['services']), 'services must be a mapping of service names to definitions');
  }
  return { file, doc, lines, value };
}

/** The file and line defining a path, searching the files from the last (the override wins). */
function locate(parsed: ParsedFile[], at: (string | number)[]): { file: string; line: number } {
  for (let depth = at.length; depth > 0; depth--) {
    for (const p of [...parsed].reverse()) {
      const line = lineOf(p, at.slice(0, depth));
      if (line > 0) return { file: p.file, line };
    }
  }
  return { file: parsed[0]?.file ?? '', line: 0 };
}

function lineOf(p: ParsedFile, at: (string | number)[]): number {
  const parent = at.length > 1 ? p.doc.getIn(at.slice(0, -1), true) : p.doc.contents;
  const last = at[at.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(last));
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (range) return p.lines.linePos(range[0]).line;
  }
  if (isSeq(parent)) {
    // depends_on in list form: the entry naming the service.
    const item = parent.items.find((entry) => isScalar(entry) && String(entry.value) === String(last));
    if (isScalar(item) && item.range) return p.lines.linePos(item.range[0]).line;
  }
  const node = p.doc.getIn(at, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? p.lines.linePos(node.range[0]).line : 0;
}

/** Docker Compose's override merge, simplified: mappings merge key by key, lists append (no duplicates), scalars replace. */
function merge(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) return [...base, ...over.filter((v) => !base.some((b) => JSON.stringify(b) === JSON.stringify(v)))];
  if (isPlain(base) && isPlain(over)) {
    const out: Raw = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k], v) : v;
    return out;
  }
  return over;
}

function isPlain(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
