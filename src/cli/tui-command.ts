import { parseArgs } from 'node:util';
import { createClusterActions } from '../kube/actions/index.js';
import { AuditLog } from '../kube/audit.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from './connection-options.js';

/** `daytwo [connection options]`: the interactive console. */
export async function runTuiCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { ...CONNECTION_OPTIONS, 'log-buffer': { type: 'string' } },
    allowPositionals: false,
  });
  const opts = connectionOptions(values);
  const logBufferLines = values['log-buffer'] === undefined ? undefined : Number(values['log-buffer']);
  if (logBufferLines !== undefined && (!Number.isInteger(logBufferLines) || logBufferLines < 1)) {
    throw new UsageError(`--log-buffer must be a positive number of lines, got "${values['log-buffer']}"`);
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('the console needs a terminal (TTY); for non-interactive output use `daytwo report <view>`');
  }
  const conn = await connect(opts);
  try {
    conn.session.start();
    const { runTui } = await import('../tui.js');
    const { session } = conn;
    const actions = createClusterActions({ kc: session.kc, store: session.store, audit: new AuditLog() });
    await runTui(session.store, { callbacks: { actions, logBufferLines } });
    return 0;
  } finally {
    await conn.close();
  }
}
