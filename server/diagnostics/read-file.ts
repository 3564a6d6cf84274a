// Reading many files that are mostly searched and dropped: one buffer per thread, reused. A fresh Buffer per
// file (150 MB on the real service) costs more in garbage collection than the reads themselves.
import { closeSync, openSync, readSync } from 'node:fs';

let scratch = Buffer.allocUnsafe(1 << 20);

/** A file's bytes, in a buffer the next call overwrites: decode or copy what must be kept. */
export function readScratch(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    for (let length = 0; ;) {
      if (length === scratch.length) scratch = Buffer.concat([scratch], scratch.length * 2);
      const room = scratch.length - length;
      const read = readSync(fd, scratch, length, room, null);
      length += read;
      // A regular file reads whole until its end: a short read is the end, without one more call to see 0.
      if (read < room) return scratch.subarray(0, length);
    }
  } finally {
    closeSync(fd);
  }
}
