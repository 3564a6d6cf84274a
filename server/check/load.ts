// Reads a scenario file (YAML or JSON), validates it against schemas/scenario.schema.json and the rules the
// schema cannot say (one action per step, nothing sent before a connect). Every mistake is a ScenarioError
// naming the file, the line and the field, like a malformed config file (config/config.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import * as jsonc from 'jsonc-parser';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Node as YamlNode } from 'yaml';
import expectationSchema from '../../schemas/expectation.schema.json';
import scenarioSchema from '../../schemas/scenario.schema.json';
import { lazyValidator } from '../config/schema-validator';
import { normaliseScenario, ScenarioProblem, type Scenario } from './scenario';

export class ScenarioError extends Error {
  constructor(readonly file: string, readonly line: number, readonly field: string, detail: string) {
    super(`${file}:${line}: ${field ? `${field}: ` : ''}${detail}`);
  }
}

type Segments = Array<string | number>;

/** A parsed document: its value, and the line where a path (or the nearest part of it that exists) is written. */
interface Parsed { value: unknown; lineOf(segments: Segments): number }

export const scenarioValidator = lazyValidator(scenarioSchema, [expectationSchema]);

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(file, 0, '', `cannot read the scenario: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const parsed = /\.json$/i.test(file) ? parseJson(file, text) : parseYaml(file, text);
  const fail = (segments: Segments, detail: string): never => {
    throw new ScenarioError(file, parsed.lineOf(segments), segments.join('.') || '(root)', detail);
  };
  const validate = scenarioValidator();
  if (!validate(parsed.value)) {
    const err = mostSpecific(validate.errors ?? []);
    const segments = pathOf(err);
    fail(err.keyword === 'additionalProperties' ? [...segments, String(err.params.additionalProperty)] : segments, describe(err));
  }
  try {
    return normaliseScenario(parsed.value as Record<string, unknown>, path.basename(file).replace(/\.(ya?ml|json)$/i, ''));
  } catch (e) {
    if (e instanceof ScenarioProblem) return fail(e.path, e.message);
    throw e;
  }
}

function parseJson(file: string, text: string): Parsed {
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (first || !tree) throw new ScenarioError(file, lineAt(text, first?.offset ?? 0), '', `invalid JSON: ${first ? jsonc.printParseErrorCode(first.error) : 'empty file'}`);
  return {
    value: jsonc.getNodeValue(tree),
    lineOf: (segments) => {
      const node = nearest(segments, (s) => jsonc.findNodeAtLocation(tree, s)) ?? tree;
      return lineAt(text, (node.parent?.type === 'property' ? node.parent : node).offset);
    },
  };
}

function parseYaml(file: string, text: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first) throw new ScenarioError(file, lines.linePos(first.pos[0]).line, '', `invalid YAML: ${first.message.split('\n')[0]}`);
  return {
    value: doc.toJS(),
    lineOf: (segments) => {
      // The key's line for a map entry (where a person looks for the field), else the node's own.
      const at = nearest(segments, (s) => (s.length === 0 ? doc.contents as YamlNode | null : keyOrNode(doc.getIn(s.slice(0, -1), true), s.at(-1)!)));
      return at?.range ? lines.linePos(at.range[0]).line : 1;
    },
  };
}

function keyOrNode(parent: unknown, last: string | number): YamlNode | undefined {
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last));
    return (pair?.key as YamlNode | undefined) ?? undefined;
  }
  const item = (parent as { items?: unknown[] } | undefined)?.items?.[Number(last)];
  return item as YamlNode | undefined;
}

/** The node at the path, or at the longest prefix of it that exists (a missing field: its parent). */
function nearest<T>(segments: Segments, find: (s: Segments) => T | undefined | null): T | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const found = find(segments.slice(0, n));
    if (found) return found;
  }
  return undefined;
}

/** ajv reports every branch of if/then and oneOf: the deepest error names the field, a type mismatch is the last resort. */
function mostSpecific(errors: ErrorObject[]): ErrorObject {
  const useful = errors.filter((e) => !['if', 'oneOf', 'anyOf'].includes(e.keyword));
  const rank = (e: ErrorObject) => pathOf(e).length * 2 + (e.keyword === 'type' ? 0 : 1);
  return (useful.length ? useful : errors).reduce((best, e) => (rank(e) > rank(best) ? e : best));
}

function pathOf(err: ErrorObject): Segments {
  return err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(err: ErrorObject): string {
  if (err.keyword === 'additionalProperties') return 'unknown field';
  if (err.keyword === 'enum') return `must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (err.keyword === 'pattern' && err.instancePath.endsWith('/name')) return 'must contain {n} (the user number)';
  return err.message ?? err.keyword;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
