import { parseArgs } from 'node:util';
import { OUTPUT_FORMATS, type OutputFormat, renderDocument } from '../report/format.js';
import { findReportView, REPORT_VIEWS } from '../report/views.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from './connection-options.js';

/** How long a report waits for its lists before giving up. */
const SYNC_TIMEOUT_MS = 60_000;

/** `daytwo report <view> [-o table|json|yaml] [connection options]` */
export async function runReportCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, output: { type: 'string', short: 'o', default: 'table' } },
  });
  const names = REPORT_VIEWS.map((v) => v.name).join(', ');
  if (positionals.length !== 1) throw new UsageError(`report needs one view: daytwo report <view> (views: ${names})`);
  const view = findReportView(positionals[0]);
  if (!view) throw new UsageError(`unknown view "${positionals[0]}" (views: ${names})`);
  const output = values.output as string;
  if (!OUTPUT_FORMATS.includes(output as OutputFormat)) {
    throw new UsageError(`unknown output format "${output}" (formats: ${OUTPUT_FORMATS.join(', ')})`);
  }
  const conn = await connect(connectionOptions(values));
  try {
    conn.session.start(view.kinds);
    await conn.session.waitForSync(view.kinds, SYNC_TIMEOUT_MS);
    const result = view.build(conn.session.store.getState());
    process.stdout.write(output === 'table' ? result.table : renderDocument(result.document, output as 'json' | 'yaml'));
    return result.exitCode ?? 0;
  } finally {
    await conn.close();
  }
}
