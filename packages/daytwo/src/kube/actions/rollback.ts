/**
 * `kubectl rollout undo` for Deployments, StatefulSets and DaemonSets
 * (k8s.io/kubectl/pkg/polymorphichelpers/rollback.go): the workload and its ReplicaSets or
 * ControllerRevisions are fetched fresh from the API server, never taken from the store,
 * because a Deployment rollback replaces `metadata.annotations` wholesale and the store's
 * copies lack the last-applied annotation.
 */

import { labelSelectorString } from '@daytwo/k8s/label-selector.js';
import type { ControllerRevision, ListOf, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import { planRollback, type RollbackPlan } from '../../domain/rollback.js';
import { type HistorySources, type RevisionEntry, type RolloutWorkload, rolloutHistory } from '../../domain/rollout-history.js';
import { rollbackAccess, type WorkloadRef } from '../../domain/workloads.js';
import { KubeHttp } from '../http.js';
import { type ActionEnv, ActionRefused, checkAccess, runGuarded } from './guard.js';

export type { WorkloadRef } from '../../domain/workloads.js';

/** What to roll back to and how. */
export interface RollbackRequest extends WorkloadRef {
  /** kubectl's `--to-revision`; 0 (the default) is the previous revision. */
  readonly toRevision?: number;
  /** Sends the patch with `dryRun=All` (kubectl's `--dry-run=server`): nothing is changed. */
  readonly dryRun?: boolean;
}

/** What a rollback did. */
export interface RollbackOutcome {
  /** `deployment.apps/web`, as kubectl names the object. */
  readonly resource: string;
  /** kubectl's operation word: `rolled back`, or `skipped rollback (current template already matches revision N)`. */
  readonly result: string;
  readonly plan: RollbackPlan;
  readonly dryRun: boolean;
}

/** A workload read fresh from the API with the objects its history is built from. */
export interface LiveWorkload {
  readonly workload: RolloutWorkload;
  readonly sources: HistorySources;
  readonly history: RevisionEntry[];
}

interface KindInfo {
  readonly resource: 'deployments' | 'statefulsets' | 'daemonsets';
  /** kubectl's lower-case type in `deployment.apps/web`. */
  readonly singular: string;
  readonly history: 'replicasets' | 'controllerrevisions';
}

const KINDS: Readonly<Record<WorkloadRef['kind'], KindInfo>> = {
  Deployment: { resource: 'deployments', singular: 'deployment', history: 'replicasets' },
  StatefulSet: { resource: 'statefulsets', singular: 'statefulset', history: 'controllerrevisions' },
  DaemonSet: { resource: 'daemonsets', singular: 'daemonset', history: 'controllerrevisions' },
};

/** kubectl's name of the object: `deployment.apps/web`. */
export function resourceName(ref: Pick<WorkloadRef, 'kind' | 'name'>): string {
  return `${KINDS[ref.kind].singular}.apps/${ref.name}`;
}

/** The audit target: `deployment/shop/web`. */
function auditTarget(ref: WorkloadRef): string {
  return `${KINDS[ref.kind].singular}/${ref.namespace}/${ref.name}`;
}

/** Reads the workload and its ReplicaSets or ControllerRevisions from the API server. */
export async function fetchLiveWorkload(http: KubeHttp, ref: WorkloadRef): Promise<LiveWorkload> {
  const info = KINDS[ref.kind];
  const base = `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace)}`;
  // A missing workload fails with the API server's message (`deployments.apps "web" not found`), as kubectl's GET does.
  const fetched = await http.requestJson<RolloutWorkload>(`${base}/${info.resource}/${encodeURIComponent(ref.name)}`);
  const workload: RolloutWorkload = { ...fetched, kind: ref.kind };
  const listPath = `${base}/${info.history}`;
  const query = { labelSelector: labelSelectorString(workload.spec?.selector) || undefined };
  const sources: HistorySources =
    info.history === 'replicasets'
      ? { replicaSets: (await http.requestJson<Partial<ListOf<ReplicaSet>>>(listPath, { query })).items ?? [] }
      : { controllerRevisions: (await http.requestJson<Partial<ListOf<ControllerRevision>>>(listPath, { query })).items ?? [] };
  return { workload, sources, history: rolloutHistory(workload, sources) };
}

/**
 * Plans a rollback from the live objects without changing anything: the plan (patch, target
 * revision, template) or a `RollbackError` with kubectl's message.
 */
export async function previewRollback(http: KubeHttp, req: RollbackRequest): Promise<{ live: LiveWorkload; plan: RollbackPlan }> {
  const live = await fetchLiveWorkload(http, req);
  return { live, plan: planRollback(live.workload, live.sources, req.toRevision ?? 0) };
}

/** Called between planning and sending, e.g. to print the diff of a dry run before the server answers. */
export interface RollbackHooks {
  onPlan?(plan: RollbackPlan): void;
}

/**
 * Rolls a workload back as `kubectl rollout undo` does, through the guard: refused under
 * `--readonly` or without the permissions of {@link rollbackAccess}, audited before and
 * after. The plan is computed from objects fetched inside the guard, just before the patch.
 * A template that already matches the target sends nothing and says so (kubectl's words).
 *
 * A dry run (`dryRun=All`, kubectl's `--dry-run=server`) changes nothing, so it is allowed
 * under `--readonly` and not audited; its permissions are still checked first, so a user
 * who could not roll back is told so instead of being shown a plan.
 */
export async function rollbackWorkload(env: ActionEnv, req: RollbackRequest, hooks: RollbackHooks = {}): Promise<RollbackOutcome> {
  const http = new KubeHttp(env.kc);
  const toRevision = req.toRevision ?? 0;
  const resource = resourceName(req);
  const run = async (): Promise<RollbackOutcome> => {
    const { plan } = await previewRollback(http, req);
    hooks.onPlan?.(plan);
    if (plan.noop) return { resource, result: plan.noop, plan, dryRun: !!req.dryRun };
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(req.namespace)}/${KINDS[req.kind].resource}/${encodeURIComponent(req.name)}`;
    try {
      await http.requestJson(path, {
        method: 'PATCH',
        body: plan.patch,
        contentType: plan.patchType,
        query: { dryRun: req.dryRun ? 'All' : undefined },
      });
    } catch (err) {
      throw new Error(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
    }
    return { resource, result: 'rolled back', plan, dryRun: !!req.dryRun };
  };
  if (req.dryRun) {
    const denied = await checkAccess(env, rollbackAccess(req));
    if (denied) throw new ActionRefused(`rollback refused: ${denied}`);
    return run();
  }
  return runGuarded(
    env,
    {
      action: 'rollback',
      target: auditTarget(req),
      options: { toRevision },
      requires: rollbackAccess(req),
      // toRevision 0 is "the previous one": the end line names the revision restored (none when skipped).
      endOptions: (outcome) => (outcome.plan.noop ? {} : { restoredRevision: outcome.plan.targetRevision }),
    },
    async () => {
      const id = `rollback:${auditTarget(req)}:${Date.now()}`;
      const startedAt = Date.now();
      const put = (state: 'running' | 'succeeded' | 'failed', message?: string) =>
        env.store.getState().putOperation({
          id,
          action: 'rollback',
          target: auditTarget(req),
          state,
          startedAt,
          ...(state !== 'running' ? { finishedAt: Date.now() } : {}),
          ...(message ? { message } : {}),
          items: [],
        });
      put('running');
      try {
        const outcome = await run();
        put('succeeded', outcomeLine(outcome));
        return outcome;
      } catch (err) {
        put('failed', (err as Error).message);
        throw err;
      }
    },
  );
}

/** kubectl's line for an outcome: `deployment.apps/web rolled back`, with ` (server dry run)` when it was one. */
export function outcomeLine(outcome: RollbackOutcome): string {
  return `${outcome.resource} ${outcome.result}${outcome.dryRun ? ' (server dry run)' : ''}`;
}
