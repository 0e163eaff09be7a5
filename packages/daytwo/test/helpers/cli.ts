import { vi } from 'vitest';
import { main } from '../../src/cli.js';

/** What a `daytwo` command run in-process printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `daytwo <args>` in this process (the CLI's own `main`), capturing stdout and stderr;
 * `onStdout` sees each chunk as it is written.
 */
export async function runCli(args: readonly string[], onStdout: (chunk: string) => void = () => {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    onStdout(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main([...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
