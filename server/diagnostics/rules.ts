// The deprecation rules: data in the format of schemas/deprecations.schema.json. The built-in set
// (SPEC section 6, the WebSocketNotifier modules) plus the workspace's own from handshake.config.json.
import deprecationsSchema from '../../schemas/deprecations.schema.json';
import type { HandshakeConfig } from '../config/config';
import { lazyValidator } from '../config/schema-validator';
import { DEFAULT_DEPRECATIONS } from './default-rules';

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

// Only a workspace's own rules are validated, so `handshake lint` without them never compiles the schema.
const sectionValidator = lazyValidator(deprecationsSchema, [], false);

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
  const validate = sectionValidator();
  if (!validate(section)) {
    const err = validate.errors?.[0];
    throw new RulesError(`${where}${err?.instancePath ?? ''}: ${err?.message ?? 'invalid'}`);
  }
  return section as DeprecationsSection;
}

// Not validated at run time: test/diagnostics/rules-walk.test.ts checks the built-in set against the schema.
const defaults = (DEFAULT_DEPRECATIONS as DeprecationsSection).rules!.map(normalise);

/** The rules in force: the defaults (unless the config turns them off) followed by the config's own. */
export function loadRules(config?: Pick<HandshakeConfig, 'raw'>): RuleSet {
  const raw = config?.raw.deprecations;
  if (raw === undefined) return { rules: defaults };
  const section = validated(raw, 'deprecations');
  const own = (section.rules ?? []).map(normalise);
  return { rules: [...(section.useDefaults === false ? [] : defaults), ...own] };
}

/** The word a method entry's calls hold: its name, or the prefix of a `prefix*` pattern. */
export function methodWord(method: MethodRule): string {
  return method.name.endsWith('*') ? method.name.slice(0, -1) : method.name;
}

/** The method entry for an old method name: exact names first, then `prefix*` patterns. */
export function methodRule(rule: DeprecationRule, name: string): MethodRule | undefined {
  return rule.methods.find((m) => m.name === name)
    ?? rule.methods.find((m) => m.name.endsWith('*') && name.startsWith(m.name.slice(0, -1)));
}
