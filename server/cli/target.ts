// Where a verb connects: a ws:// or wss:// URL as given, or the name of a configured target (`local`,
// `stack`, a config-defined one). `send --url` and `check --target` (and a scenario's `target`) read it alike.
import type { HandshakeConfig, TargetConfig } from '../config/config';
import { UsageError } from './verb';

/** `what` names where the text came from in the error: `--url`, `--target`, a scenario file. */
export function resolveTarget(urlOrName: string, config: HandshakeConfig, what: string): TargetConfig {
  if (/^wss?:\/\//i.test(urlOrName)) {
    if (!URL.canParse(urlOrName)) throw new UsageError(`${what} ${JSON.stringify(urlOrName)} is not a valid URL`);
    return { url: urlOrName, auth: 'header' };
  }
  const target = config.targets[urlOrName];
  if (!target) {
    throw new UsageError(`${what} ${JSON.stringify(urlOrName)} is neither a ws:// or wss:// URL nor a target (known targets: ${Object.keys(config.targets).join(', ')})`);
  }
  return target;
}
