import { useMemo } from 'react';
import { type ApiResource, qualifiedName } from '../domain/api-resources.js';
import { CASCADES, type Cascade, canRestart, canScale, objectAccess } from '../domain/object-actions.js';
import { type ObjectRef, refTitle } from '../domain/object-ref.js';
import type { AccessQuery } from '../domain/operations.js';
import { useAccess } from '../hooks/use-access.js';
import { useAppStoreApi } from '../hooks/use-app-store.js';
import { type AccessVerdict, accessNotice } from '../store/access-verdict.js';
import type { ObjectViewMode, ObjectViewParams } from './object-view-params.js';
import { useShell } from './shell.js';
import { type PortForwardAction, usePortForward } from './use-port-forward.js';

/** Grace periods the delete dialog offers; `object default` is kubectl's `--grace-period=-1`. */
export const DELETE_GRACE_CHOICES = ['object default', '0s (force)', '5s', '30s', '120s'] as const;

/** What the object keys of a view do with the object under the cursor. */
export interface ObjectActions {
  /** The object under the cursor, when the row names one. */
  readonly ref?: ObjectRef;
  /** Opens its YAML, describe or events. */
  open(mode: ObjectViewMode): void;
  readonly canScale: boolean;
  readonly canRestart: boolean;
  /** The object is a pod: a shell can be opened in it. */
  readonly canShell: boolean;
  /** Why each action cannot run now (RBAC denied or not answered yet, no kubectl); undefined when it can. */
  readonly unavailable: { readonly delete?: string; readonly scale?: string; readonly restart?: string; readonly shell?: string };
  /** Asks (grace period, cascade), then deletes. */
  delete(): void;
  /** Asks the replica count, then scales. */
  scale(): void;
  /** Asks, then restarts the rollout. */
  restart(): void;
  /** Asks which container, then hands the terminal to `kubectl exec -it` until the shell exits. */
  shell(): void;
  /** Shift-F: a port-forward to the object (pods, services, workloads). */
  readonly forward: PortForwardAction;
}

function unavailableText(verdict: AccessVerdict, verb: string, ref: ObjectRef | undefined): string | undefined {
  if (!ref || verdict.state === 'allowed' || verdict.state === 'none') return undefined;
  return accessNotice(verdict, verb, ref.name) ?? `${verb} of ${ref.name}: still checking access (SelfSubjectAccessReview), try again in a moment`;
}

const queries = (q: AccessQuery | undefined): AccessQuery[] => (q ? [q] : []);
const isPod = (ref: ObjectRef | undefined) => ref?.apiVersion === 'v1' && ref.kind === 'Pod';

/** The object under a view's cursor, and (for a workload) its replicas, where the scale dialog starts. */
export interface SelectedObject {
  readonly ref: ObjectRef;
  readonly replicas?: number;
  /**
   * The object's resource as discovery describes it, for kinds the store does not hold (a
   * custom resource in the generic table): its plural is what RBAC is asked about, and its
   * verbs say whether it can be deleted at all.
   */
  readonly resource?: Pick<ApiResource, 'group' | 'resource' | 'verbs'>;
}

/**
 * The object actions of a view for the object under its cursor, k9s's keys: delete, scale,
 * restart. `select` names the object under the cursor; it is called while rendering (to
 * check access and offer the keys) and again when a key arrives, so a key typed right after
 * a cursor move acts on the row it selected. Each access is checked with the API server as
 * the cursor moves (for the kinds daytwo knows, and any kind whose discovered resource the
 * view passes, custom resources included; others are checked when the action runs), so a
 * denied key says why.
 */
export function useObjectActions(select: () => SelectedObject | undefined): ObjectActions {
  const selected = select();
  const ref = selected?.ref;
  const plural = selected?.resource?.resource;
  const undeletable = selected?.resource && !selected.resource.verbs.includes('delete') ? selected.resource : undefined;
  const shell = useShell();
  const store = useAppStoreApi();
  const actions = shell.callbacks.actions;
  const key = ref ? `${ref.apiVersion}/${ref.kind}/${plural ?? ''}/${ref.namespace ?? ''}/${ref.name}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the object's identity, not the ref object
  const asks = useMemo(() => {
    if (!ref) return { del: [], scale: [], restart: [], shell: [] };
    return {
      del: undeletable ? [] : queries(objectAccess(ref, 'delete', undefined, plural)),
      scale: canScale(ref) ? queries(objectAccess(ref, 'patch', 'scale', plural)) : [],
      restart: canRestart(ref) ? queries(objectAccess(ref, 'patch', undefined, plural)) : [],
      shell: isPod(ref) ? queries(objectAccess(ref, 'create', 'exec')) : [],
    };
  }, [key]);
  const del = useAccess(actions, asks.del);
  const scale = useAccess(actions, asks.scale);
  const restart = useAccess(actions, asks.restart);
  const shellAccess = useAccess(actions, asks.shell);
  const forward = usePortForward(ref, () => select()?.ref);
  const report = (run: Promise<string>, what: string) =>
    run.then(
      (line) => store.getState().pushMessage('success', line),
      (err: unknown) => store.getState().pushMessage('error', `${what}: ${err instanceof Error ? err.message : String(err)}`),
    );
  const noActions = () => store.getState().pushMessage('error', 'no cluster connection: actions are unavailable');

  return {
    ref,
    open(mode) {
      const now = select()?.ref;
      if (now) shell.openView('object', { ref: now, mode } satisfies ObjectViewParams);
    },
    canScale: canScale(ref),
    canRestart: canRestart(ref),
    canShell: isPod(ref),
    forward,
    unavailable: {
      shell: isPod(ref) ? (actions?.shellUnavailable ?? unavailableText(shellAccess, 'shell', ref)) : undefined,
      delete: undeletable ? `${qualifiedName(undeletable)} cannot be deleted: the API server offers no delete verb for it` : unavailableText(del, 'delete', ref),
      scale: unavailableText(scale, 'scale', ref),
      restart: unavailableText(restart, 'restart', ref),
    },
    delete() {
      const ref = select()?.ref;
      if (!ref) return;
      if (!actions) return noActions();
      shell.confirm({
        title: `Delete ${refTitle(ref)}?`,
        body: ['As kubectl delete: the cascade decides what happens to what it owns.'],
        choices: [
          { id: 'grace', label: 'grace period', key: '1', values: DELETE_GRACE_CHOICES, value: DELETE_GRACE_CHOICES[0] },
          { id: 'cascade', label: 'cascade (dependents: deleted after, deleted first, or kept)', key: '2', values: CASCADES, value: CASCADES[0] },
        ],
        confirmLabel: 'Delete',
        dangerous: true,
        onConfirm: (_options, choices) => {
          const grace = choices.grace ?? DELETE_GRACE_CHOICES[0];
          const gracePeriodSeconds = grace === 'object default' ? undefined : Number.parseInt(grace, 10);
          void report(actions.deleteObject(ref, { gracePeriodSeconds, cascade: (choices.cascade ?? 'background') as Cascade }), `delete ${ref.name}`);
        },
      });
    },
    scale() {
      const chosen = select();
      const ref = chosen?.ref;
      if (!ref || !canScale(ref)) return;
      if (!actions) return noActions();
      const current = chosen?.replicas ?? 1;
      const most = Math.max(10, current * 2, current + 10);
      const values = Array.from({ length: most + 1 }, (_, i) => String(i));
      shell.confirm({
        title: `Scale ${refTitle(ref)}?`,
        body: [`Now ${current} replica${current === 1 ? '' : 's'}.`],
        choices: [{ id: 'replicas', label: 'replicas', key: '+', backKey: '-', values, value: String(current) }],
        confirmLabel: 'Scale',
        dangerous: true,
        onConfirm: (_options, choices) => void report(actions.scale(ref, Number(choices.replicas ?? current)), `scale ${ref.name}`),
      });
    },
    shell() {
      const ref = select()?.ref;
      if (!ref || !isPod(ref)) return;
      if (!actions) return noActions();
      const pod = store.getState().objects.pods.get(`${ref.namespace}/${ref.name}`);
      const containers = (pod?.spec?.containers ?? []).map((c) => c.name);
      shell.confirm({
        title: `Shell in ${refTitle(ref)}?`,
        body: ['The terminal goes to kubectl exec -it until the shell exits (bash where there is one, else sh).'],
        choices: containers.length > 1 ? [{ id: 'container', label: 'container', key: '1', values: containers, value: containers[0] }] : [],
        confirmLabel: 'Shell',
        dangerous: true,
        onConfirm: (_options, choices) => void report(actions.shell(ref, choices.container ?? containers[0]), `shell in ${ref.name}`),
      });
    },
    restart() {
      const ref = select()?.ref;
      if (!ref || !canRestart(ref)) return;
      if (!actions) return noActions();
      shell.confirm({
        title: `Restart ${refTitle(ref)}?`,
        body: ['As kubectl rollout restart: the pod template gets kubectl.kubernetes.io/restartedAt, and the controller replaces every pod.'],
        confirmLabel: 'Restart',
        dangerous: true,
        onConfirm: () => void report(actions.restart(ref), `restart ${ref.name}`),
      });
    },
  };
}
