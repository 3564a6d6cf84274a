// The daemon's entry: a language server when started by the extension (IPC or stdio), otherwise the same
// engine standalone, as `handshake serve`.
import { runLanguageServer } from './lsp/server';
import { runCli } from './cli/main';

const lspFlags = ['--node-ipc', '--stdio', '--pipe'];
if (process.argv.some((a) => lspFlags.includes(a) || a.startsWith('--socket=') || a.startsWith('--clientProcessId'))) {
  runLanguageServer();
} else {
  void runCli(['serve', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
}
