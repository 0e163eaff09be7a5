/**
 * delete, scale and rollout restart of any object, as kubectl does them, each through
 * `runGuarded` (read-only and RBAC refusals, audit lines before and after).
 */
import type { Deployment } from '@daytwo/k8s/wire-types.js';
import {
  type DeleteChoice,
  objectAccess,
  propagationPolicy,
  RESTARTED_AT,
  rfc3339Local,
} from '../../domain/object-actions.js';
import { apiGroup, type ObjectRef, refName } from '../../domain/object-ref.js';
import type { AccessQuery } from '../../domain/operations.js';
import type { RolloutWorkload } from '../../domain/rollout-history.js';
import { KubeHttp } from '../http.js';
import { getObject, objectPath, resourceOf } from '../objects.js';
import { type ActionEnv, runGuarded } from './guard.js';

/** The access query of a verb, with the resource resolved through discovery for kinds daytwo does not watch. */
async function accessFor(http: KubeHttp, ref: ObjectRef, verb: string, subresource?: string): Promise<AccessQuery> {
  const known = objectAccess(ref, verb, subresource);
  if (known) return known;
  const r = await resourceOf(http, ref);
  return {
    verb,
    group: apiGroup(ref.apiVersion),
    resource: r.resource,
    ...(subresource ? { subresource } : {}),
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
  };
}

/** `kubectl delete`'s kind string: `deployment.apps`, `pod`. */
function kindString(ref: ObjectRef): string {
  const group = apiGroup(ref.apiVersion);
  return group ? `${ref.kind.toLowerCase()}.${group}` : ref.kind.toLowerCase();
}

/**
 * `kubectl delete [--grace-period=N] [--cascade=...]`: DeleteOptions with the
 * propagationPolicy; resolves with kubectl's line (`pod "web-1" deleted from shop namespace`).
 */
export async function deleteObject(env: ActionEnv, ref: ObjectRef, choice: DeleteChoice): Promise<string> {
  const http = new KubeHttp(env.kc);
  try {
    const requires = [await accessFor(http, ref, 'delete')];
    const options = { cascade: choice.cascade, ...(choice.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: choice.gracePeriodSeconds } : {}) };
    return await runGuarded(env, { action: 'delete', target: refName(ref), options, requires }, async () => {
      await http.requestJson(await objectPath(http, ref), {
        method: 'DELETE',
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          propagationPolicy: propagationPolicy(choice.cascade),
          ...(choice.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: choice.gracePeriodSeconds } : {}),
        },
      });
      const operation = choice.gracePeriodSeconds === 0 ? 'force deleted' : 'deleted';
      return `${kindString(ref)} "${ref.name}" ${operation}${ref.namespace ? ` from ${ref.namespace} namespace` : ''}`;
    });
  } finally {
    http.close();
  }
}

/** `kubectl scale --replicas=N`: a merge patch of the scale subresource; resolves with `deployment.apps/web scaled`. */
export async function scaleObject(env: ActionEnv, ref: ObjectRef, replicas: number): Promise<string> {
  if (!Number.isInteger(replicas) || replicas < 0) throw new Error(`invalid replicas ${replicas}: must be a whole number, 0 or more`);
  const http = new KubeHttp(env.kc);
  try {
    const requires = [await accessFor(http, ref, 'patch', 'scale')];
    return await runGuarded(env, { action: 'scale', target: refName(ref), options: { replicas }, requires }, async () => {
      await http.requestJson(await objectPath(http, ref, 'scale'), {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { spec: { replicas } },
      });
      return `${refName(ref)} scaled`;
    });
  } finally {
    http.close();
  }
}

/**
 * `kubectl rollout restart`: sets the pod template's `kubectl.kubernetes.io/restartedAt` to
 * now (RFC 3339, local time) with a strategic merge patch, refuses a paused Deployment as
 * kubectl does, and, like kubectl, refuses a second restart within the same second (the
 * patch would be empty). Resolves with `deployment.apps/web restarted`.
 */
export async function restartObject(env: ActionEnv, ref: ObjectRef, now: () => Date = () => new Date()): Promise<string> {
  const http = new KubeHttp(env.kc);
  try {
    const requires = [await accessFor(http, ref, 'get'), await accessFor(http, ref, 'patch')];
    return await runGuarded(env, { action: 'restart', target: refName(ref), requires }, async () => {
      // A restartable kind (ref.kind): a workload with a pod template; only a Deployment can be paused.
      const obj: RolloutWorkload = await getObject(http, ref);
      if (ref.kind === 'Deployment' && (obj as Deployment).spec?.paused === true) throw new Error("can't restart paused deployment (run rollout resume first)");
      const at = rfc3339Local(now());
      if (obj.spec?.template?.metadata?.annotations?.[RESTARTED_AT] === at) {
        throw new Error(
          `failed to create patch for ${ref.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
        );
      }
      await http.requestJson(await objectPath(http, ref), {
        method: 'PATCH',
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } },
      });
      return `${refName(ref)} restarted`;
    });
  } finally {
    http.close();
  }
}
