// Why an engine does not answer, as one state: what went wrong, on which side, and what to do. Transports
// throw EngineFailure when they know better than the socket error that surfaced (an ssh host key nobody
// trusted, a remote without the Docker CLI); socket and TLS errors are read here.
import type { EngineState } from '../../../$shared/protocol';

/** A failure a transport has already put in words. */
export class EngineFailure extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

const REJECTED_BY_US = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED)$/;

export function unreachable(socket: string, error: Error, timeoutMs: number, timedOut = false, name?: string): EngineState {
  const named = name ? { name } : {};
  const at = `Docker Engine unreachable at ${socket}`;
  if (error instanceof EngineFailure) return { status: 'unreachable', socket, ...named, error: `${at}: ${error.message}`, hint: error.hint };
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const remote = !socket.includes('unix://');
  if (REJECTED_BY_US.test(code)) {
    return { status: 'unreachable', socket, ...named, error: `${at}: TLS: the engine's certificate was rejected on this side (${code}: ${error.message})`,
      hint: 'trust the CA that signed the engine\'s certificate: ca.pem in DOCKER_CERT_PATH or in the context (docker context create … --docker ca=…), and connect by a name or IP the certificate lists' };
  }
  if (/ALERT|ERR_SSL/.test(code) || /alert/i.test(error.message)) {
    return { status: 'unreachable', socket, ...named, error: `${at}: TLS: the engine rejected this side's client certificate (${code || 'alert'}: ${error.message})`,
      hint: 'give Handshake a client certificate signed by the CA the engine trusts (--tlscacert of dockerd): cert.pem and key.pem in DOCKER_CERT_PATH or in the context' };
  }
  const what = code === 'ENOENT' ? 'the socket does not exist'
    : code === 'ECONNREFUSED' ? (remote ? 'connection refused: nothing listens there' : 'nothing listens on the socket')
      : code === 'EACCES' ? 'permission denied on the socket'
        : /^(EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code) ? `no route to the engine's host (${code})`
          : code === 'ECONNRESET' && remote ? 'the connection was reset (an engine expecting TLS, or a proxy in the way?)'
            : timedOut || /timeout/i.test(error.message) || code === 'ETIMEDOUT' ? `no answer within ${timeoutMs} ms`
              : error.message;
  const hint = code === 'EACCES'
    ? 'add your user to the docker group (sudo usermod -aG docker $USER, then log in again) or use a rootless engine'
    : remote ? 'check that the engine runs and listens there, and that this machine can reach it (docker --context … info tells the same)'
      : 'start Docker: sudo systemctl start docker, or sh scripts/docker-engine.sh start' +
        (socket.startsWith('DOCKER_HOST') ? '; or point DOCKER_HOST at the engine that runs' : '');
  return { status: 'unreachable', socket, ...named, error: `${at}: ${what}`, hint };
}
