import { type DialogValues, dialogTextWidth } from '../components/Dialog.js';
import { type DrainPreview, previewDrain } from '../domain/drain-preview.js';
import { drainRehearsalRows, drainRehearsalSummary } from '../domain/drain-rehearsal.js';
import { type DrainPlanText, drainPlanText } from '../domain/drain-text.js';
import { useAccess } from '../hooks/use-access.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import type { AccessVerdict } from '../store/access-verdict.js';
import type { DrainActionOptions } from '../store/actions.js';
import { CREATE_EVICTIONS, PATCH_NODES } from '../store/node-access.js';
import { accessKey, drainConflict, type Operation, shownDrain } from '../domain/operations.js';
import { REHEARSE_OPTION_LABEL, rehearseThenConfirm } from './rehearsal-dialog.js';
import { useShell } from './shell.js';

/** What the node views offer: the three node actions, their access, and the drain in progress. */
export interface NodeActions {
  /** Why cordon/uncordon is denied (RBAC), if it is. */
  readonly cordonDenied?: string;
  /** Why drain is denied (RBAC), if it is. */
  readonly drainDenied?: string;
  /** Asks for confirmation, then cordons the nodes. */
  cordon(nodes: readonly string[]): void;
  uncordon(nodes: readonly string[]): void;
  /** Opens the drain dialog with the plan, then drains the nodes one at a time. */
  drain(nodes: readonly string[]): void;
  /**
   * The console's drain (from the store, whichever view started it): the running one,
   * else the last finished one until dismissed.
   */
  readonly drainOperation?: Operation;
  /** Cancels the running drain; the nodes stay cordoned. */
  cancelDrain(): void;
  /** Hides a finished drain's progress panel. */
  dismissDrain(): void;
}

/** Grace periods offered by the drain dialog; -1 is kubectl's default (each pod's own). */
export const GRACE_PERIOD_CHOICES = ['pod default', '0s', '30s', '120s'] as const;
/** Timeouts offered by the drain dialog; 0 waits forever, as kubectl's default. */
export const TIMEOUT_CHOICES = ['none', '1m', '5m', '15m'] as const;

/** The drain options of the dialog's toggles and choices. */
export function drainOptionsFrom(values: DialogValues): DrainActionOptions {
  const grace = values.choices.grace ?? GRACE_PERIOD_CHOICES[0];
  const timeout = values.choices.timeout ?? TIMEOUT_CHOICES[0];
  return {
    ignoreDaemonSets: values.options.ignoreDaemonSets ?? true,
    deleteEmptyDirData: values.options.deleteEmptyDirData ?? false,
    force: values.options.force ?? false,
    gracePeriodSeconds: grace === 'pod default' ? -1 : Number.parseInt(grace, 10),
    timeoutSeconds: timeout === 'none' ? 0 : Number.parseInt(timeout, 10) * 60,
  };
}

const PATCH_QUERIES = [PATCH_NODES];
const EVICT_QUERIES = [CREATE_EVICTIONS];

const CHECK_FAILED = 'the access check for';

/** `denied` for RBAC's no, `unavailable` while the check itself fails (it is retried). */
export function refusalWord(reason: string): string {
  return reason.startsWith(CHECK_FAILED) ? 'unavailable' : 'denied';
}

function deniedReason(verdict: AccessVerdict, what: string): string | undefined {
  if (verdict.state === 'failed') return `${CHECK_FAILED} ${what} failed and will be retried${verdict.reason ? `: ${verdict.reason}` : ''}`;
  if (verdict.state !== 'denied') return undefined;
  return `not allowed to ${what}${verdict.reason ? `: ${verdict.reason}` : ''}`;
}

/**
 * The node actions of a view. Checks `patch nodes` and `create pods/eviction` with the API
 * server when the view mounts, so a denied key is shown as denied before it is pressed.
 */
export function useNodeActions(): NodeActions {
  const shell = useShell();
  const store = useAppStoreApi();
  const actions = shell.callbacks.actions;
  const patch = useAccess(actions, PATCH_QUERIES);
  const evict = useAccess(actions, EVICT_QUERIES);
  const drainOperation = useAppStore((s) => shownDrain(s.operations, s.dismissedOperations));

  const cordonDenied = deniedReason(patch, accessKey(PATCH_NODES));
  const drainDenied = cordonDenied ?? deniedReason(evict, accessKey(CREATE_EVICTIONS));
  const refuse = (verb: string, reason: string) => store.getState().pushMessage('error', `${verb} ${refusalWord(reason)}: ${reason}`);
  const noActions = () => store.getState().pushMessage('error', 'no cluster connection: actions are unavailable');
  const names = (nodes: readonly string[]) => (nodes.length <= 3 ? nodes.join(', ') : `${nodes.slice(0, 3).join(', ')} and ${nodes.length - 3} more`);

  const setSchedulable = (nodes: readonly string[], cordon: boolean) => {
    const verb = cordon ? 'cordon' : 'uncordon';
    if (nodes.length === 0) return;
    if (cordonDenied) return refuse(verb, cordonDenied);
    if (!actions) return noActions();
    shell.confirm({
      title: `${cordon ? 'Cordon' : 'Uncordon'} ${nodes.length === 1 ? 'node' : `${nodes.length} nodes`}?`,
      body: [
        names(nodes),
        cordon ? 'New pods will not be scheduled there; running pods stay.' : 'The scheduler may place new pods there again.',
      ],
      confirmLabel: cordon ? 'Cordon' : 'Uncordon',
      dangerous: true,
      onConfirm: () => void (cordon ? actions.cordon(nodes) : actions.uncordon(nodes)),
    });
  };

  return {
    cordonDenied,
    drainDenied,
    cordon: (nodes) => setSchedulable(nodes, true),
    uncordon: (nodes) => setSchedulable(nodes, false),
    drain(nodes) {
      if (nodes.length === 0) return;
      if (drainDenied) return refuse('drain', drainDenied);
      if (!actions) return noActions();
      const conflict = drainConflict(nodes, store.getState().operations);
      if (conflict) {
        store.getState().pushMessage('warning', `drain refused: ${conflict}`);
        return;
      }
      // The body and the details come from one plan. Scrolling redraws the dialog: plan again only when the options or the objects changed.
      let planned: { key: string; objects: unknown; text: DrainPlanText | { error: string } } | undefined;
      const plan = (values: DialogValues) => {
        const key = JSON.stringify(drainOptionsFrom(values));
        const { objects } = store.getState();
        if (planned?.key !== key || planned.objects !== objects) {
          let text: DrainPlanText | { error: string };
          try {
            const preview: DrainPreview = previewDrain(nodes, objects, drainOptionsFrom(values));
            text = drainPlanText(preview, dialogTextWidth(shell.width));
          } catch (err) {
            text = { error: `cannot plan: ${err instanceof Error ? err.message : String(err)}` };
          }
          planned = { key, objects, text };
        }
        return planned.text;
      };
      shell.confirm({
        title: `Drain ${nodes.length === 1 ? nodes[0] : `${nodes.length} nodes, one at a time`}?`,
        body: (values) => {
          const text = plan(values);
          if ('error' in text) return [text.error];
          // Under -n the store holds one namespace's pods; the drain itself lists all of the node's.
          const only = store.getState().cluster.namespace;
          return only ? [...text.summary, `plan shows the pods of -n ${only} only; the drain lists all`] : text.summary;
        },
        details: (values) => {
          const text = plan(values);
          return 'error' in text ? [] : text.details;
        },
        options: [
          { id: 'ignoreDaemonSets', label: 'ignore DaemonSet pods', key: '1', value: true },
          { id: 'deleteEmptyDirData', label: 'delete emptyDir data', key: '2', value: false },
          { id: 'force', label: 'force: also pods with no controller', key: '3', value: false },
          ...(actions.rehearseDrain ? [{ id: 'rehearse', label: REHEARSE_OPTION_LABEL, key: '6', value: false }] : []),
        ],
        choices: [
          { id: 'grace', label: 'grace period', key: '4', values: GRACE_PERIOD_CHOICES, value: GRACE_PERIOD_CHOICES[0] },
          { id: 'timeout', label: 'timeout', key: '5', values: TIMEOUT_CHOICES, value: TIMEOUT_CHOICES[0] },
        ],
        confirmLabel: 'Drain',
        dangerous: true,
        onConfirm: (options, choices) => {
          const flags = drainOptionsFrom({ options, choices });
          if (!options.rehearse) return void actions.drain(nodes, flags);
          rehearseThenConfirm(shell, store, {
            what: `the drain of ${names(nodes)}`,
            run: () => actions.rehearseDrain?.(nodes, flags) ?? Promise.reject(new Error('no cluster connection')),
            // The outcome first: a long node name is cut at the dialog's width.
            title: (r) => `Rehearsal: ${r.result}, drain of ${names(nodes)}`,
            summary: drainRehearsalSummary,
            rows: drainRehearsalRows,
            confirmLabel: 'Drain for real',
            onConfirm: () => void actions.drain(nodes, flags),
          });
        },
      });
    },
    drainOperation,
    cancelDrain() {
      if (drainOperation?.state === 'running') actions?.cancelOperation(drainOperation.id);
    },
    dismissDrain() {
      if (drainOperation && drainOperation.state !== 'running') store.getState().dismissOperation(drainOperation.id);
    },
  };
}
