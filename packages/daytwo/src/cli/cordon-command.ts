import { parseArgs } from 'node:util';
import { cordonNodes, nodePath } from '../kube/actions/cordon.js';
import { ApiRequestError } from '../kube/errors.js';
import { KubeHttp } from '../kube/http.js';
import { cliAudit } from './audit-env.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from '../options/connection-options.js';
import { type CommandOutput, serverErrorLine, withKubectlExitCodes } from './drain-command.js';

const PROCESS_OUTPUT: CommandOutput = { out: process.stdout, err: process.stderr };

/**
 * `daytwo cordon|uncordon NODE... [--dry-run] [connection options]`, with kubectl's lines
 * (`node/x cordoned`, `node/x already uncordoned`) and exit codes: a node that does not
 * exist fails the command before anything changes; a node that cannot be changed is
 * reported (`error: unable to cordon node "x": ...`) and the command exits 1.
 */
export function runCordonCommand(desired: boolean, argv: readonly string[], output: CommandOutput = PROCESS_OUTPUT): Promise<number> {
  return withKubectlExitCodes(desired ? 'cordon' : 'uncordon', output, () => cordonCommand(desired, argv, output));
}

async function cordonCommand(desired: boolean, argv: readonly string[], output: CommandOutput): Promise<number> {
  const verb = desired ? 'cordon' : 'uncordon';
  const { values, positionals } = parseArgs({
    args: argv.map((a) => (a === '--dry-run' ? '--dry-run=client' : a)),
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, 'dry-run': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    output.out.write(
      `Usage: daytwo ${verb} NODE... [--dry-run] [--kubeconfig FILE] [--context NAME] [--demo] [--readonly]\n` +
        `Mark the nodes ${desired ? 'unschedulable' : 'schedulable again'}, as kubectl ${verb} does. Exit code 0, or 1 on any error (bad flags included, as kubectl).\n`,
    );
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`USAGE: ${verb} NODE... [flags]`);
  const dryRun = values['dry-run'] ?? 'none';
  if (dryRun !== 'none' && dryRun !== 'client') throw new UsageError(`--dry-run=${dryRun} is not supported; use --dry-run (client)`);
  const conn = await connect(connectionOptions(values));
  try {
    const { kc, store } = conn.session;
    const http = new KubeHttp(kc);
    try {
      for (const node of positionals) await http.requestJson(nodePath(node));
    } catch (e) {
      if (!(e instanceof ApiRequestError)) throw e;
      output.err.write(`${serverErrorLine(e)}\n`);
      return 1;
    }
    const results = await cordonNodes({ kc, store, ...cliAudit(output.err) }, positionals, desired, dryRun === 'client');
    const suffix = dryRun === 'client' ? ' (dry run)' : '';
    for (const r of results) {
      if (r.outcome) output.out.write(`node/${r.node} ${r.outcome}${suffix}\n`);
      else output.err.write(`error: unable to ${verb} node "${r.node}": ${r.error}\n`);
    }
    return results.some((r) => r.error) ? 1 : 0;
  } finally {
    await conn.close();
  }
}
