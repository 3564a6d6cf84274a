// The method-call rewrite: `old(context, x)` -> `new(context.run_id, ..., name=x)` from a method map entry
// whose argument templates name the old parameters ({context}). Offered only when every argument maps.
import { dottedText, replace } from './context';
import type { Fix } from './finding';
import type { SyntaxNode } from './parser';
import type { MethodRule } from './rules';

const PLACEHOLDER = /\{([A-Za-z_$][\w$]*)\}/g;
const NOT_ARGUMENTS = new Set(['comment', '(', ')', ',']);

/** Binds the call's arguments to the old parameter names, or says why it cannot. */
function bindArguments(args: SyntaxNode, parameters: string[]): Map<string, SyntaxNode> | string {
  if (args.type !== 'argument_list' && args.type !== 'arguments') return 'the call passes a generator or template, not an argument list';
  const bound = new Map<string, SyntaxNode>();
  let position = 0;
  for (const child of args.children) {
    const type = child?.type;
    if (!child || !type || NOT_ARGUMENTS.has(type)) {
      if (type === 'comment') return 'the arguments hold a comment the rewrite would lose';
      continue;
    }
    if (type === 'keyword_argument') {
      const name = child.childForFieldName('name')?.text ?? '';
      const value = child.childForFieldName('value');
      if (!parameters.includes(name) || !value) return `the argument ${name} has no counterpart in the new method`;
      bound.set(name, value);
    } else if (['list_splat', 'dictionary_splat', 'spread_element'].includes(type)) {
      return 'the call unpacks arguments (*args/**kwargs), which cannot be mapped safely';
    } else {
      const name = parameters[position++];
      if (!name) return 'the call passes more arguments than the rewrite maps';
      bound.set(name, child);
    }
  }
  return bound;
}

interface Template {
  source: string;
  /** Its placeholders' names, in order, repeats included. */
  names: string[];
  /** `name=...`: left out when the call did not pass its value. */
  keyword: boolean;
}

/** A method's templates, read once per method map entry: a file may call the method hundreds of times. */
const compiled = new WeakMap<string[], { templates: Template[]; uses: Map<string, number> }>();

function compile(sources: string[]): { templates: Template[]; uses: Map<string, number> } {
  let found = compiled.get(sources);
  if (found) return found;
  const templates = sources.map((source) => ({
    source, names: [...source.matchAll(PLACEHOLDER)].map((m) => m[1]!), keyword: /^[A-Za-z_$][\w$]*=/.test(source),
  }));
  const uses = new Map<string, number>();
  for (const t of templates) for (const name of t.names) uses.set(name, (uses.get(name) ?? 0) + 1);
  compiled.set(sources, found = { templates, uses });
  return found;
}

/** The new argument list from the templates; an expression used twice or as an object must be a plain name. */
function render(sources: string[], bound: Map<string, SyntaxNode>): string[] | string {
  const { templates, uses } = compile(sources);
  const rendered: string[] = [];
  for (const { source, names, keyword } of templates) {
    const missing = names.filter((name) => !bound.has(name));
    if (missing.length > 0) {
      if (keyword) continue;
      return `the call does not pass ${missing.join(', ')}`;
    }
    for (const name of names) {
      const reused = uses.get(name)! > 1 || source.includes(`{${name}}.`);
      if (reused && dottedText(bound.get(name)!) === undefined) {
        return `the ${name} argument is an expression that would be evaluated more than once; assign it to a name first`;
      }
    }
    rendered.push(source.replace(PLACEHOLDER, (_, name: string) => bound.get(name)!.text));
  }
  return rendered;
}

/** The rewrite of one call (method name and argument list), or why there is none. */
export function rewriteCall(method: MethodRule, call: SyntaxNode, property: SyntaxNode): Fix | string {
  if (method.noEquivalent || !method.rename || !method.arguments) return method.noEquivalent ?? 'the method map has no rewrite';
  const args = call.childForFieldName('arguments');
  if (!args) return 'the call has no argument list';
  const bound = bindArguments(args, method.parameters ?? []);
  if (typeof bound === 'string') return bound;
  const rendered = render(method.arguments, bound);
  if (typeof rendered === 'string') return rendered;
  return {
    title: `Rewrite to ${method.rename}(${rendered.join(', ')})`,
    edits: [replace(property, method.rename), replace(args, `(${rendered.join(', ')})`)],
  };
}
