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
import type { KubeObject } from '../../domain/kube-object.js';
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

/** The `syncDrift` action of {@link ClusterActions}: sync one item, report the outcome, compare again. */
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
        messages.pushMessage('success', `synced ${label} to Git (server-side apply, field manager ${FIELD_MANAGER})`);
      } catch (err) {
        messages.pushMessage('error', `sync ${label}: ${(err as Error).message}`);
      } finally {
        await engine.run('manual');
      }
    },
  };
}
