// Reading many files that are mostly searched and dropped: one buffer per thread, reused. A fresh Buffer per
// file (150 MB on the real service) costs more in garbage collection than the reads themselves.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** What tells a file's content changed without reading it (the lint cache's key): size, times and inode. */
export interface FileStamp { size: number; mtimeMs: number; ctimeMs: number; ino: number }

let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * A file's bytes, in a buffer the next call overwrites: decode or copy what must be kept. With `stamped`,
 * also its stamp, taken before the read, so a change during the read shows as a different stamp next time.
 */
export function readScratch(file: string, stamped = false): { bytes: Buffer; stamp?: FileStamp } {
  const fd = openSync(file, 'r');
  try {
    const stamp = stamped ? fstatSync(fd) : undefined;
    for (let length = 0; ;) {
      if (length === scratch.length) scratch = Buffer.concat([scratch], scratch.length * 2);
      const room = scratch.length - length;
      const read = readSync(fd, scratch, length, room, null);
      length += read;
      // A regular file reads whole until its end: a short read is the end, without one more call to see 0.
      if (read < room) return { bytes: scratch.subarray(0, length), stamp };
    }
  } finally {
    closeSync(fd);
  }
}
