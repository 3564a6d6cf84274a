// The Stack view as a plain function: daemon state in, tree item descriptions out. No `vscode` here, so
// tests run it without VS Code; client/stack/stack-view.ts only adapts these nodes to TreeItems.
import type { ProbeResult, Readiness, ServiceState, StackState } from '../../$shared/protocol';

export interface StackNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id; the adapter turns it into a ThemeIcon. */
  icon: string;
  /** A theme color id for the icon. */
  color?: string;
  /** Keys package.json menus (`viewItem == service.failed`). */
  contextValue?: string;
  children?: StackNode[];
}

const readinessIcon: Record<Readiness, { icon: string; color?: string }> = {
  ready: { icon: 'pass-filled', color: 'testing.iconPassed' },
  pending: { icon: 'loading~spin' },
  blocked: { icon: 'debug-pause', color: 'list.warningForeground' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  absent: { icon: 'circle-outline' },
  stopped: { icon: 'debug-stop' },
};

export function stackTree(state: StackState | undefined): StackNode[] {
  if (!state) return [{ id: 'loading', label: 'Waiting for the daemon…', icon: 'loading~spin' }];
  // A compose or config error is the first thing to fix: nothing below it can be trusted.
  if (state.composeError) return [{ id: 'compose', label: 'Compose or config error', description: state.composeError, tooltip: state.composeError, icon: 'warning', color: 'list.warningForeground' }];
  if (state.engine.status === 'unreachable') {
    return [{
      id: 'engine', label: 'Docker engine unreachable', description: state.engine.socket,
      tooltip: engineTrouble(state), icon: 'debug-disconnect', color: 'testing.iconFailed',
      contextValue: 'engine.unreachable',
    }];
  }
  // The compose project is the stack node (Start Stack and Stop Stack act on it); its services below it.
  const services = state.services.map(serviceNode);
  const ready = state.services.filter((s) => s.readiness === 'ready').length;
  const stack: StackNode[] = state.project ? [{
    id: 'stack', label: state.project.name, description: `${ready}/${state.services.length} ready`, tooltip: state.project.files.join('\n'),
    icon: 'layers', contextValue: 'stack', children: services,
  }] : services;
  return [
    ...stack,
    ...state.targets.map((t) => ({
    id: `target:${t.name}`, label: t.name, description: `${t.ready ? 'ready' : 'not ready'} · ${t.url}`,
    icon: t.ready ? 'pass-filled' : 'error', color: t.ready ? 'testing.iconPassed' : 'testing.iconFailed',
    contextValue: 'target', children: t.probes.map((p, i) => probeNode(`target:${t.name}`, p, i)),
  })),
  ];
}

function serviceNode(s: ServiceState): StackNode {
  const id = `service:${s.name}`;
  const children: StackNode[] = [];
  const c = s.container;
  children.push({
    id: `${id}:container`, label: 'container', icon: 'package',
    description: [c.status, c.exitCode !== undefined && c.status === 'exited' ? `code ${c.exitCode}` : '', c.health !== 'none' ? c.health : '']
      .filter(Boolean).join(' · '),
  });
  if (s.blockedBy.length) {
    children.push({ id: `${id}:blocked`, label: 'blocked by', description: s.blockedBy.join(' → '), icon: 'debug-pause', color: 'list.warningForeground' });
  }
  const cause = s.rootCause;
  if (cause) {
    children.push({
      id: `${id}:cause`, label: cause.service === s.name ? 'cause' : `cause (in ${cause.service})`,
      description: cause.firstErrorLine ?? cause.healthOutput ?? cause.summary,
      tooltip: [cause.summary, cause.firstErrorLine, cause.healthOutput].filter(Boolean).join('\n'),
      icon: 'flame', color: 'testing.iconFailed', contextValue: 'cause',
      children: (cause.lastLogLines ?? []).map((line, i) => ({ id: `${id}:log:${i}`, label: line, icon: 'blank' })),
    });
  }
  children.push(...s.probes.map((p, i) => probeNode(id, p, i)));
  return {
    id, label: s.name, description: `${s.readiness} · ${s.summary}`, tooltip: s.summary,
    ...readinessIcon[s.readiness], contextValue: `service.${s.readiness}`, children,
  };
}

function probeNode(parent: string, p: ProbeResult, index: number): StackNode {
  return {
    id: `${parent}:probe:${index}`, label: `${p.type} ${p.target}`, description: p.ok ? `ok · ${p.durationMs} ms` : p.detail,
    tooltip: p.via ? `${p.detail}\n${p.via}` : p.detail, icon: p.ok ? 'check' : 'close', color: p.ok ? 'testing.iconPassed' : 'testing.iconFailed',
  };
}

/** Why the engine cannot be reached and what to do about it, a line each (the tree's and the status bar's tooltip). */
function engineTrouble({ engine }: StackState): string {
  return [engine.error, engine.hint].filter(Boolean).join('\n');
}

type StatusItem = { text: string; tooltip: string; background?: string };

/** The status bar's item: "Handshake: 5/6 ready", in the warning colour when something is blocked or failed,
 *  the error colour when the engine is down or the config broken; the tooltip names the culprit, and the text
 *  names the engine when it is not the default one. */
export function stackStatusText(state: StackState | undefined): StatusItem {
  if (!state) return { text: '$(loading~spin) Handshake', tooltip: 'Waiting for the daemon' };
  const status = stackStatus(state);
  const name = state.engine.name;
  return name ? { ...status, text: `${status.text} · ${name}`, tooltip: `${status.tooltip}\nDocker engine: ${state.engine.socket}` } : status;
}

function stackStatus(state: StackState): StatusItem {
  const error = 'statusBarItem.errorBackground';
  if (state.composeError) return { text: '$(warning) Handshake: config error', tooltip: state.composeError, background: error };
  if (state.engine.status === 'unreachable') return { text: '$(debug-disconnect) Handshake: Docker down', tooltip: engineTrouble(state), background: error };
  const ready = state.services.filter((s) => s.readiness === 'ready').length;
  const count = `Handshake: ${ready}/${state.services.length} ready`;
  if (state.ready) return { text: `$(pass-filled) ${count}`, tooltip: `${state.services.length} services ready` };
  const culprit = state.services.find((s) => s.readiness === 'failed') ?? state.services.find((s) => s.readiness !== 'ready');
  if (!culprit) return { text: '$(circle-outline) Handshake: no services', tooltip: 'The compose project has no services' };
  const trouble = state.services.some((s) => s.readiness === 'failed' || s.readiness === 'blocked');
  return { text: `$(${trouble ? 'error' : 'circle-outline'}) ${count} · ${culprit.name} ${culprit.readiness}`, tooltip: culprit.summary,
    ...(trouble ? { background: 'statusBarItem.warningBackground' } : {}) };
}
