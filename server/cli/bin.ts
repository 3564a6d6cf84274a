// The `handshake` executable (dist/cli.js). Kept apart from main.ts because the daemon bundle imports
// runCli too, and in a bundle `require.main === module` is true for every module it contains.
import { runCli } from './main';

void runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
