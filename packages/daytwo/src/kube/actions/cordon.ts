/**
 * Cordon and uncordon, as `kubectl cordon|uncordon` do them (k8s.io/kubectl/pkg/drain/cordon.go):
 * read the node, and only when `spec.unschedulable` differs send a strategic merge patch of
 * that one field. Uncordon removes the field (`unschedulable` is `omitempty`, so the
 * two-way merge patch upstream computes sets it to null).
 */
import type { Node } from '@daytwo/k8s/wire-types.js';
import { PATCH_NODES } from '../../store/node-access.js';
import { KubeHttp } from '../http.js';
import { type ActionEnv, runGuarded } from './guard.js';

export { CREATE_EVICTIONS, PATCH_NODES } from '../../store/node-access.js';

/** kubectl's words for the outcome (`node/x cordoned`, `node/x already uncordoned`). */
export type CordonOutcome = 'cordoned' | 'already cordoned' | 'uncordoned' | 'already uncordoned';

/** The REST path of one node. */
export function nodePath(name: string): string {
  return `/api/v1/nodes/${encodeURIComponent(name)}`;
}

/**
 * Sets `spec.unschedulable` on one node when it differs (kubectl's `UpdateIfRequired`), or
 * only reports what would change under `dryRun` (kubectl's `--dry-run=client`). Rejects
 * with `ApiRequestError` (e.g. 404 for a node that does not exist).
 */
export async function setUnschedulable(http: KubeHttp, name: string, desired: boolean, dryRun = false): Promise<CordonOutcome> {
  const node = await http.requestJson<Node>(nodePath(name));
  const current = node.spec?.unschedulable === true;
  if (current === desired) return desired ? 'already cordoned' : 'already uncordoned';
  if (!dryRun) {
    await http.requestJson(nodePath(name), {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { unschedulable: desired ? true : null } },
    });
  }
  return desired ? 'cordoned' : 'uncordoned';
}

/** One node's result of a cordon or uncordon. */
export interface CordonResult {
  readonly node: string;
  readonly outcome?: CordonOutcome;
  /** Why it failed (refused, not found, ...). */
  readonly error?: string;
}

/**
 * Cordons (or uncordons) each node through {@link runGuarded} (read-only and RBAC refusals,
 * one audit line before and after per node), and reports each outcome as a status message.
 * `dryRun` only reads. Never rejects: each node's failure is in its result.
 */
export async function cordonNodes(env: ActionEnv, nodes: readonly string[], desired: boolean, dryRun = false): Promise<CordonResult[]> {
  const http = new KubeHttp(env.kc);
  const action = desired ? 'cordon' : 'uncordon';
  const results: CordonResult[] = [];
  for (const node of nodes) {
    try {
      // A dry run changes nothing: no guard, no audit (kubectl's --dry-run=client only reads).
      const outcome = dryRun
        ? await setUnschedulable(http, node, desired, true)
        : await runGuarded(env, { action, target: `node/${node}`, requires: [PATCH_NODES] }, () => setUnschedulable(http, node, desired));
      env.store.getState().pushMessage('success', `node/${node} ${outcome}`);
      results.push({ node, outcome });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      env.store.getState().pushMessage('error', `node/${node}: ${error}`);
      results.push({ node, error });
    }
  }
  return results;
}
