// Log reading as plain functions: Docker's multiplexed frames, and the first line that names an error
// (the exception line of a traceback beats its "Traceback" header; a missing library beats a generic error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demultiplex, firstErrorLine } from '../../server/stack/engine/logs';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test('demultiplex joins stdout and stderr frames in order, UTF-8 intact', () => {
  const body = Buffer.concat([frame(1, 'starting…\n'), frame(2, 'Traceback (most recent call last):\n'), frame(2, 'ImportError: x\n')]);
  assert.equal(demultiplex(body), 'starting…\nTraceback (most recent call last):\nImportError: x\n');
  assert.equal(demultiplex(Buffer.alloc(0)), '');
});

test('first error line: the most telling line wins', () => {
  assert.equal(firstErrorLine(['migrating', 'Traceback (most recent call last):', '  File "env.py", line 7', "ModuleNotFoundError: No module named 'alembic'"]),
    "ModuleNotFoundError: No module named 'alembic'");
  assert.equal(firstErrorLine(['Error: something', '/usr/bin/python3: error while loading shared libraries: libpq.so.5: cannot open shared object file']),
    '/usr/bin/python3: error while loading shared libraries: libpq.so.5: cannot open shared object file');
  assert.equal(firstErrorLine(['Error loading shared library libstdc++.so.6: No such file or directory (needed by /app/bin)']),
    'Error loading shared library libstdc++.so.6: No such file or directory (needed by /app/bin)');
  assert.equal(firstErrorLine(["Path doesn't exist: /app/static"]), "Path doesn't exist: /app/static");
  assert.equal(firstErrorLine(['listening', 'panic: runtime error: index out of range']), 'panic: runtime error: index out of range');
  assert.equal(firstErrorLine(['2024-01-01 FATAL: password authentication failed for user "app"']), '2024-01-01 FATAL: password authentication failed for user "app"');
  assert.equal(firstErrorLine(['node:internal/modules', 'Error: Cannot find module \'/app/dist/cli.js\'']), "Error: Cannot find module '/app/dist/cli.js'");
  assert.equal(firstErrorLine(['all good', 'ready to accept connections']), undefined);
});
