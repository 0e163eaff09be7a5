/**
 * Sync: applies Git's manifest of one object by server-side apply with field manager
 * `daytwo`, as `kubectl apply --server-side --field-manager=daytwo --force-conflicts` would.
 *
 * Why `force=true`: the drift a sync reverts is, by definition, fields whose live values
 * another manager (`kubectl-edit`, `kubectl-scale`, ...) owns; without force the API server
 * answers 409 for exactly those fields. The user has seen them, with their managers, in the
 * diff and the confirmation, which is the decision `--force-conflicts` stands for.
 */
import { syncAccessQueries } from '../../domain/drift/sync-access.js';
import { type DriftItem, driftKey } from '../../domain/drift/types.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { type ActionEnv, runGuarded } from '../actions/guard.js';
import { KubeHttp } from '../http.js';
import type { DriftEngine, SyncTarget } from './engine.js';
import { resourcePath } from './resources.js';

/** The field manager of daytwo's applies. */
export const FIELD_MANAGER = 'daytwo';

/** Applies one declared object (guarded: refused under --readonly or without RBAC; audited). */
export async function applyDeclared(env: ActionEnv, target: SyncTarget, item: DriftItem): Promise<KubeObject> {
  const { declared, resource } = target;
  const ns = declared.namespace ? `${declared.namespace}/` : '';
  return runGuarded(
    env,
    {
      action: 'sync',
      target: `${resource.resource}${resource.group ? `.${resource.group}` : ''}/${ns}${declared.name}`,
      // Names and places only: the manifest may hold Secret data and is never logged.
      options: { fieldManager: FIELD_MANAGER, force: true, source: `${declared.source.file}:${declared.source.line}`, status: item.status },
      requires: syncAccessQueries(item),
    },
    () =>
      new KubeHttp(env.kc).requestJson<KubeObject>(resourcePath(resource, declared.namespace, declared.name), {
        method: 'PATCH',
        query: { fieldManager: FIELD_MANAGER, force: true },
        // JSON is YAML: the apply patch content type takes either.
        body: JSON.stringify(declared.manifest),
        contentType: 'application/apply-patch+yaml',
      }),
  );
}

/**
 * What the comparison right after a sync says of the synced object: Synced, or still
 * drifted (an apply the API server accepted can leave fields as they were: a mutating
 * webhook, a controller that writes them back, a field Git sets that the server drops).
 */
export function syncOutcome(label: string, after: DriftItem | undefined): { level: 'success' | 'warning'; text: string } {
  if (after?.status === 'Synced') return { level: 'success', text: `synced ${label} to Git (server-side apply, field manager ${FIELD_MANAGER}); it is now Synced` };
  const status = after ? after.status : 'not compared';
  const paths = after?.diffs.map((d) => d.path) ?? [];
  const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? `, +${paths.length - 3} more` : '');
  return {
    level: 'warning',
    text: `applied Git to ${label}, but it is still ${status}${shown ? `: ${shown}` : ''} (something reverts or drops these fields)`,
  };
}

/** The `syncDrift` action of {@link ClusterActions}: sync one item, compare again, report whether it converged. */
export function createDriftActions(env: ActionEnv, engine: DriftEngine): { syncDrift(key: string): Promise<void> } {
  return {
    async syncDrift(key) {
      const messages = env.store.getState();
      const item = engine.store.getState().items.find((i) => driftKey(i) === key);
      const target = engine.syncTarget(key);
      if (!item || !target) {
        messages.pushMessage('error', `sync: ${key} is not declared in Git`);
        return;
      }
      const label = `${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name}`;
      try {
        await applyDeclared(env, target, item);
      } catch (err) {
        messages.pushMessage('error', `sync ${label}: ${(err as Error).message}`);
        await engine.run('manual');
        return;
      }
      await engine.run('manual');
      const after = engine.store.getState().items.find((i) => driftKey(i) === key);
      const outcome = syncOutcome(label, after);
      messages.pushMessage(outcome.level, outcome.text);
    },
  };
}
