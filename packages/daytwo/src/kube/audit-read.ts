import { open } from 'node:fs/promises';

/** How much of the end of the audit log is read: bounded, however long the log grows. */
const TAIL_BYTES = 1024 * 1024;

/**
 * The last `maxLines` non-empty lines of the audit log, oldest first; empty when the file
 * does not exist yet. Reads at most the last megabyte.
 */
export async function readAuditTail(file: string, maxLines = 500): Promise<string[]> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    // A read that starts mid-file begins with a partial line.
    if (start > 0) lines.shift();
    return lines.filter((l) => l.trim() !== '').slice(-maxLines);
  } finally {
    await handle.close();
  }
}
