// Builds the bundles (extension, daemon, CLI and one per CLI verb, the daemon's and CLI's parse worker) and transpiles every .ts file to out/ for node --test.
// --if-stale: skip when no source is newer than the bundles (npm start, npm run bench).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const sourceDirs = ['client', 'server', '$shared', 'test', 'bench'];
/** A plugin that leaves what `importer` loads lazily (`./name`, by `kind`) out of the bundle: loaded at run
 *  time from the bundle beside it, `./<file(name)>`. */
function apart(importer, kind, file) {
  return {
    name: `apart-${path.basename(importer)}`,
    setup(build) {
      build.onResolve({ filter: /^\.\/[\w-]+$/ }, (args) => (args.importer === path.join(root, importer) && args.kind === kind
        ? { path: `./${file(args.path.slice(2))}`, external: true } : undefined));
    },
  };
}
// The CLI's verbs: server/cli/main.ts loads each with import('./<verb>'). Each is its own bundle
// (dist/verb-<verb>.js), so `handshake lint` reads and compiles lint's code, not Docker's or the proxy's;
// and ajv, which few runs need, is a bundle of its own that a verb requires on first use.
const verbs = [...fs.readFileSync(path.join(root, 'server/cli/main.ts'), 'utf8').matchAll(/import\('\.\/([\w-]+)'\)/g)].map((m) => m[1]);
const verbsApart = apart('server/cli/main.ts', 'dynamic-import', (verb) => `verb-${verb}.js`);
const ajvApart = apart('server/config/schema-validator.ts', 'require-call', (name) => `${name}.js`);
const bundles = [
  // The extension's entry is tiny and loads its body (dist/client.js) after activation: client/extension.ts.
  { in: 'client/extension.ts', out: 'dist/extension.js', external: ['./client.js'] },
  { in: 'client/main.ts', out: 'dist/client.js' },
  { in: 'server/daemon.ts', out: 'dist/daemon.js' },
  // The daemon's bundle holds runCli and every verb; the CLI's only the dispatcher (main.ts). Its import()s
  // become require()s: import() of a CommonJS file goes through the ESM loader, which parses the whole
  // bundle again to find its exports (`lint --help` took twice as long).
  { in: 'server/cli/bin.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node', plugins: [verbsApart],
    supported: { 'dynamic-import': false } },
  ...verbs.map((verb) => ({ in: `server/cli/${verb}.ts`, out: `dist/verb-${verb}.js`, plugins: [ajvApart] })),
  { in: 'server/config/ajv.ts', out: 'dist/ajv.js' },
  // Started by server/diagnostics/pool/pool.ts from beside the daemon's and the CLI verbs' bundles; it never
  // validates, and every worker of every lint would otherwise compile ajv's 250 KB at start.
  { in: 'server/diagnostics/pool/parse-worker.ts', out: 'dist/parse-worker.js', plugins: [ajvApart] },
];

function listTs(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    // The notifier fixtures are inputs to the linter tests, not code that runs.
    .filter((f) => !f.startsWith(path.join(root, 'test', 'fixtures', 'notifier') + path.sep));
}

function newestMtime(files) {
  return Math.max(0, ...files.map((f) => fs.statSync(f).mtimeMs));
}

const sources = sourceDirs.flatMap(listTs);
if (process.argv.includes('--if-stale')) {
  const outputs = bundles.map((b) => path.join(root, b.out));
  const built = outputs.every((f) => fs.existsSync(f));
  const inputs = [...sources, path.join(root, 'package-lock.json')].filter((f) => fs.existsSync(f));
  if (built && newestMtime(inputs) <= Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs))) process.exit(0);
}

await Promise.all(bundles.map((b) => esbuild.build({
  entryPoints: [path.join(root, b.in)],
  outfile: path.join(root, b.out),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Native addons of dockerode's ssh2 (cpu-features, sshcrypto.node: built when npm runs install scripts)
  // are loaded inside try/catch; the bundle does without them, so they stay outside it.
  external: ['vscode', 'cpu-features', '*.node', ...(b.external ?? [])],
  // jsonc-parser's UMD main hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  sourcemap: true,
  banner: b.banner ? { js: b.banner } : undefined,
  plugins: b.plugins,
  supported: b.supported,
  logLevel: 'warning',
})));
// The message panel's page: one browser script, loaded by nonce under the webview's CSP (client/panel/html.ts).
await esbuild.build({
  entryPoints: [path.join(root, 'client/panel/web/main.ts')],
  outfile: path.join(root, 'dist/panel.js'),
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  logLevel: 'warning',
});
fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
// The daemon's parsers load their wasm files from beside the bundle (server/diagnostics/parser.ts): copy every
// tree-sitter package's wasm into dist/, so the packaged extension (.vsix, no node_modules) and the CLI find them.
const { dependencies } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const name of Object.keys(dependencies).filter((n) => n.includes('tree-sitter'))) {
  const dir = path.join(root, 'node_modules', name);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(dir, file), path.join(root, 'dist', file));
}

// Tests and benchmarks import server modules directly: transpile file by file, keeping the tree.
await esbuild.build({
  entryPoints: sources,
  outdir: path.join(root, 'out'),
  outbase: root,
  bundle: false,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
});
// Transpiled modules import schemas/*.json by relative path (out/server/x -> out/schemas): keep a copy there.
fs.cpSync(path.join(root, 'schemas'), path.join(root, 'out', 'schemas'), { recursive: true });
