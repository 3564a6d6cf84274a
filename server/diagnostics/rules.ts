// The deprecation rules: data validated against schemas/deprecations.schema.json. The built-in set
// (SPEC section 6, the WebSocketNotifier modules) plus the workspace's own from handshake.config.json.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import deprecationsSchema from '../../schemas/deprecations.schema.json';
import { DEFAULT_DEPRECATIONS } from './default-rules';
import type { HandshakeConfig } from '../config/config';

export type Language = 'python' | 'typescript' | 'javascript';
export type Severity = 'error' | 'warning' | 'information';

export interface MethodRule {
  name: string;
  rename?: string;
  parameters?: string[];
  arguments?: string[];
  noEquivalent?: string;
}

export interface DeprecationRule {
  id: string;
  languages: Language[];
  modules: string[];
  names: string[];
  severity: Severity;
  message: string;
  replacement?: { module: string; name: string; url?: string };
  methods: MethodRule[];
}

export interface RuleSet {
  rules: DeprecationRule[];
}

interface DeprecationsSection {
  useDefaults?: boolean;
  rules?: Array<Partial<DeprecationRule> & Pick<DeprecationRule, 'id' | 'modules' | 'message'>>;
}

export class RulesError extends Error {}

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);
const validateSection = ajv.compile<DeprecationsSection>(deprecationsSchema);

function normalise(rule: NonNullable<DeprecationsSection['rules']>[number]): DeprecationRule {
  return {
    id: rule.id,
    languages: rule.languages ?? ['python'],
    modules: rule.modules,
    names: rule.names ?? [],
    severity: rule.severity ?? 'warning',
    message: rule.message,
    replacement: rule.replacement,
    methods: rule.methods ?? [],
  };
}

function validated(section: unknown, where: string): DeprecationsSection {
  if (!validateSection(section)) {
    const err = validateSection.errors?.[0];
    throw new RulesError(`${where}${err?.instancePath ?? ''}: ${err?.message ?? 'invalid'}`);
  }
  return section;
}

const defaults = validated(DEFAULT_DEPRECATIONS, 'built-in deprecations').rules!.map(normalise);

/** The rules in force: the defaults (unless the config turns them off) followed by the config's own. */
export function loadRules(config?: Pick<HandshakeConfig, 'raw'>): RuleSet {
  const raw = config?.raw.deprecations;
  if (raw === undefined) return { rules: defaults };
  const section = validated(raw, 'deprecations');
  const own = (section.rules ?? []).map(normalise);
  return { rules: [...(section.useDefaults === false ? [] : defaults), ...own] };
}

/** The method entry for an old method name: exact names first, then `prefix*` patterns. */
export function methodRule(rule: DeprecationRule, name: string): MethodRule | undefined {
  return rule.methods.find((m) => m.name === name)
    ?? rule.methods.find((m) => m.name.endsWith('*') && name.startsWith(m.name.slice(0, -1)));
}
