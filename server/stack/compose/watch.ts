// Notices edits to the compose files (and .env) so the daemon's state follows the file the user is
// editing: the folders where compose files live or may appear are watched, and a burst of writes becomes
// one call (editors save in several steps).
import fs from 'node:fs';
import path from 'node:path';

const COMPOSE_NAME = /^(docker-)?compose([.-].*)?\.ya?ml$|^\.env$/;
const SETTLE_MS = 150;

/** Watches the workspace, its docker/ folder and the folders of the given files; returns the disposer. */
export function watchComposeFiles(workspace: string, files: string[], onChange: () => void): () => void {
  const dirs = new Set([workspace, path.join(workspace, 'docker'), ...files.map((f) => path.dirname(f))]);
  const names = new Set(files.map((f) => path.basename(f)));
  let timer: NodeJS.Timeout | undefined;
  const watchers: fs.FSWatcher[] = [];
  for (const dir of dirs) {
    try {
      // Folders, not files: an editor that saves by rename replaces the file and a file watch would go deaf.
      watchers.push(fs.watch(dir, { persistent: false }, (_event, name) => {
        if (!name || !(COMPOSE_NAME.test(name) || names.has(name))) return;
        clearTimeout(timer);
        timer = setTimeout(onChange, SETTLE_MS);
      }));
    } catch {
      // A folder that does not exist (no docker/) has nothing to watch.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
