// A container's recent logs as lines, and the first line in them that names an error: the exception line
// of a traceback, a missing shared library, a missing path, FATAL, panic, Error: and the like.
import type Docker from 'dockerode';

/** How many log lines a root cause carries ("last log lines one click away"). */
const LOG_TAIL_LINES = 30;

/** Most specific first: the final line of a Python traceback says more than "Traceback (most recent call last):". */
const ERROR_PATTERNS: RegExp[] = [
  /error while loading shared librar|Error loading shared librar|cannot open shared object file/i,
  /^\s*([\w.]+\.)?\w*(Error|Exception)(:\s|$)/,
  /Path doesn't exist|No such file or directory/i,
  /\bFATAL\b|^panic:|\bpanic\(/,
  /\bError:|\bERROR\b/,
  /Traceback \(most recent call last\)|\bexception\b/i,
];

export function firstErrorLine(lines: string[]): string | undefined {
  for (const pattern of ERROR_PATTERNS) {
    const hit = lines.find((l) => pattern.test(l));
    if (hit) return hit.trim().slice(0, 300);
  }
  return undefined;
}

/** Splits Docker's multiplexed log frames ([stream, 0, 0, 0, length u32be] + payload) into text. */
export function demultiplex(buffer: Buffer): string {
  let text = '';
  for (let i = 0; i + 8 <= buffer.length;) {
    const length = buffer.readUInt32BE(i + 4);
    text += buffer.subarray(i + 8, i + 8 + length).toString('utf8');
    i += 8 + length;
  }
  return text;
}

/** The last lines of a container's stdout and stderr, interleaved as written. */
export async function readLogTail(docker: Docker, id: string, tty: boolean, tail = LOG_TAIL_LINES): Promise<string[]> {
  // Without follow, dockerode hands back the whole (multiplexed, unless the container has a TTY) body as a Buffer.
  const body = await docker.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: false }) as unknown as Buffer;
  const text = tty ? body.toString('utf8') : demultiplex(body);
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(-tail);
}
