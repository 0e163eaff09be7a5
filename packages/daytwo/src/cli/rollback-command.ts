import { parseArgs } from 'node:util';
import { type RollbackPlan, templateDiff } from '../domain/rollback.js';
import { parseWorkloadArg } from '../domain/workloads.js';
import { outcomeLine, rollbackWorkload } from '../kube/actions/rollback.js';
import { describeError, isNetworkError } from '../kube/errors.js';
import { KubeHttp } from '../kube/http.js';
import { fetchServerVersion } from '../kube/version.js';
import { cliAudit } from './audit-env.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from '../options/connection-options.js';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  'to-revision': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

/**
 * `daytwo rollback KIND/NAME [-n NS] [--to-revision N] [--dry-run]`: `kubectl rollout undo`
 * with kubectl's output (`deployment.apps/web rolled back`). `--dry-run` first prints the pod
 * template diff, then sends the patch as a server-side dry run and prints the server's
 * answer; it is allowed under `--readonly` but still access-checked. Exit codes: 0 done or
 * skipped, 1 refused or failed, 2 bad arguments.
 */
export async function runRollbackCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  if (positionals.length !== 1) throw new UsageError('rollback needs one workload: daytwo rollback KIND/NAME [--to-revision N] [--dry-run]');
  const parsed = parseWorkloadArg(positionals[0]);
  if ('error' in parsed) throw new UsageError(parsed.error);
  const toRevisionText = values['to-revision'] ?? '0';
  if (!/^\d+$/.test(toRevisionText)) throw new UsageError(`--to-revision must be a non-negative integer, got "${toRevisionText}"`);
  const toRevision = Number(toRevisionText);
  const dryRun = values['dry-run'] === true;

  const conn = await connect(connectionOptions(values));
  try {
    const { session } = conn;
    const namespace = session.namespace ?? session.context.namespace ?? 'default';
    const env = { kc: session.kc, store: session.store, ...cliAudit() };
    // The diff first, then the server's answer (which may be a refusal: the diff stays on screen).
    const printDiff = (plan: RollbackPlan) => {
      if (plan.noop) return;
      process.stdout.write(`${plan.summary}\n`);
      for (const change of templateDiff(plan.currentTemplate, plan.template)) {
        if (change.from !== undefined) process.stdout.write(`- ${change.path}: ${change.from}\n`);
        if (change.to !== undefined) process.stdout.write(`+ ${change.path}: ${change.to}\n`);
      }
    };
    // An unreachable server is said as such, not as an access check that "refused" (kubectl's exit code 1).
    const unreachable = await fetchServerVersion(new KubeHttp(session.kc)).then(
      () => undefined,
      (err: unknown) => (isNetworkError(err) ? err : undefined),
    );
    if (unreachable) {
      process.stderr.write(`error: cannot reach the API server ${session.kc.getCurrentCluster()?.server ?? ''}: ${describeError(unreachable)}\n`);
      return 1;
    }
    const outcome = await rollbackWorkload(env, { ...parsed, namespace, toRevision, dryRun }, dryRun ? { onPlan: printDiff } : {});
    process.stdout.write(`${outcomeLine(outcome)}\n`);
    return 0;
  } catch (err) {
    // kubectl's form and exit code for anything the cluster or the plan refuses.
    process.stderr.write(`error: ${describeError(err)}\n`);
    return 1;
  } finally {
    await conn.close();
  }
}
