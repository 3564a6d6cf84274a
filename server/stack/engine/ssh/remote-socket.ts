// Which engine `docker system dial-stdio` would reach on the remote, asked once per link: when the remote's
// Docker CLI would use a plain unix socket (DOCKER_HOST unix://…, or the default with no context chosen),
// connections can open an ssh channel straight to that socket (OpenSSH's direct-streamlocal), about a
// millisecond, instead of starting the Docker CLI for each one (a few hundred). Anything else (a context, a
// tcp:// or ssh:// DOCKER_HOST there, a shell that does not answer as expected) keeps dial-stdio.
import type { Client } from 'ssh2';

const DEFAULT_REMOTE_SOCKET = '/var/run/docker.sock';

// POSIX sh: the two variables the remote CLI reads first, then its config.json (for a current context).
const ASK = 'printf \'%s\\n%s\\n\' "$DOCKER_HOST" "$DOCKER_CONTEXT"; cat "${DOCKER_CONFIG:-$HOME/.docker}/config.json" 2>/dev/null';

/** The remote socket path to open directly, or undefined for dial-stdio. Never rejects for the answer's sake. */
export function askRemoteSocket(client: Client, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    client.exec(ASK, (err, channel) => {
      if (err) {
        clearTimeout(timer);
        resolve(undefined);
        return;
      }
      let out = '';
      channel.on('data', (d: Buffer) => { out += d.toString('utf8'); });
      channel.stderr.resume();
      channel.on('close', () => {
        clearTimeout(timer);
        resolve(socketFrom(out));
      });
    });
  });
}

export function socketFrom(answer: string): string | undefined {
  const [host = '', context = '', ...config] = answer.split('\n');
  if (host) return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
  if (context && context !== 'default') return undefined;
  const text = config.join('\n').trim();
  if (text) {
    try {
      const current = (JSON.parse(text) as { currentContext?: string }).currentContext;
      if (current && current !== 'default') return undefined;
    } catch {
      return undefined; // Not the config.json we expected: let the remote CLI decide.
    }
  }
  return DEFAULT_REMOTE_SOCKET;
}
