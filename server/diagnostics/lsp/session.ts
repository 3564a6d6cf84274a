// The rules in force for the language server and the one way it runs the engine. The rules are reloaded
// when handshake.config.json changes; a malformed file keeps the last good rules and says why.
import path from 'node:path';
import { CONFIG_FILE_NAME, configPath, loadConfig, type HandshakeConfig } from '../../config/config';
import type { Finding } from '../finding';
import { sharedPool, type ParsePool } from '../pool/pool';
import { loadRules, type RuleSet } from '../rules';

export class DiagnosticsSession {
  rules: RuleSet;
  /** Bumped on every reload, so cached results from older rules are recognisably stale. */
  generation = 0;

  constructor(
    readonly workspace: string,
    config: HandshakeConfig | undefined,
    readonly logError: (message: string) => void,
    private readonly pool: ParsePool = sharedPool(),
  ) {
    try {
      this.rules = loadRules(config);
    } catch (e) {
      logError(`handshake: deprecation rules: ${(e as Error).message}; using the built-in rules`);
      this.rules = loadRules();
    }
  }

  /** Re-reads the config file; returns why it failed (the previous rules stay in force), or undefined. */
  reload(): string | undefined {
    try {
      this.rules = loadRules(loadConfig(this.workspace));
      this.generation++;
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** Whether a changed file is the config file this workspace reads (HANDSHAKE_CONFIG may name another). */
  isConfigFile(file: string): boolean {
    return path.resolve(file) === this.configFile();
  }

  /** What the editor should watch for us. */
  configFileGlob(): string {
    return `**/${path.basename(this.configFile())}`;
  }

  private configFile(): string {
    return configPath(this.workspace) ?? path.join(this.workspace, CONFIG_FILE_NAME);
  }

  /**
   * The findings of an open document (`uri`, its text as edited), which go first and re-parse incrementally,
   * or of a file on disk, which the parse worker reads and pre-filters itself: this thread, which serves every
   * request, never holds a file's bytes. An engine failure (an unreadable file) is logged and yields none.
   */
  async analyze(file: string, document?: { uri: string; text: string }): Promise<Finding[]> {
    const job = { rules: this.rules, opts: { workspaceRoot: this.workspace } };
    try {
      if (document) return await this.pool.analyzeDocument({ ...job, file, ...document });
      const [result] = await this.pool.analyzeFiles({ ...job, files: [file] });
      if (result!.unreadable) this.logError(`handshake: cannot read ${file}: ${result!.unreadable}`);
      return result!.findings;
    } catch (e) {
      this.logError(`handshake: cannot analyse ${file}: ${(e as Error).stack ?? String(e)}`);
      return [];
    }
  }

  /** An open document closed: its worker frees its tree. */
  forget(uri: string): void {
    this.pool.forgetDocument(uri);
  }
}
