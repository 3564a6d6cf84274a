// Preloaded (`node -r out/bench/usage-at-exit.js …`) into a process a benchmark measures from outside: at exit
// it writes its CPU time and peak memory to the file BENCH_USAGE_FILE names, so the `handshake` CLI itself
// is measured unchanged.
import fs from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    fs.writeFileSync(file, JSON.stringify({ cpuMicros: cpu.user + cpu.system, maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
