import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { CoreEvent } from '@daytwo/k8s/wire-types.js';
import type { ApiResource } from '../domain/api-resources.js';
import type { DrainOptions } from '../domain/drain-plan.js';
import type { DrainRehearsal } from '../domain/drain-rehearsal.js';
import type { LogEntry, LogStreamHandle, LogStreamOptions } from '../domain/log-entry.js';
import type { LogTarget } from '../domain/log-target.js';
import type { MigrationRehearsal } from '../domain/migration-rehearsal.js';
import type { DeleteChoice } from '../domain/object-actions.js';
import type { ObjectRef } from '../domain/object-ref.js';
import type { AccessQuery } from '../domain/operations.js';
import type { PodUsageState } from '../domain/pod-usage.js';
import type { WorkloadRef } from '../domain/workloads.js';
import type { PortForwards } from './port-forwards.js';
import type { ResourceTableHandle } from './resource-table.js';

/**
 * What the console may ask of the cluster. The kube layer implements it
 * (`src/kube/actions/index.ts`) and the CLI hands it to `<App>`; views call it and read the
 * outcome from the store, never the API.
 */
export interface ClusterActions {
  /** Asks the API server (SelfSubjectAccessReview) and records each answer in `store.access`. */
  checkAccess(queries: readonly AccessQuery[]): Promise<void>;
  /**
   * `kubectl rollout undo [--to-revision=N]` (0: the previous revision) on live objects,
   * guarded and audited. Resolves with kubectl's line (`deployment.apps/web rolled back`, or
   * `... skipped rollback (current template already matches revision N)`); rejects with
   * kubectl's message when it would refuse, or with `ActionRefused`.
   */
  rollback(ref: WorkloadRef, toRevision: number): Promise<string>;
  /** Cordons nodes (guarded, audited); each outcome or refusal becomes a status message. */
  cordon(nodes: readonly string[]): Promise<void>;
  /** Uncordons nodes, like {@link ClusterActions.cordon}. */
  uncordon(nodes: readonly string[]): Promise<void>;
  /**
   * Starts draining nodes one at a time (cordoning them all first) with kubectl drain's
   * semantics and returns the id of its entry in `store.operations`, where the progress of
   * every pod shows; the outcome also becomes a status message.
   */
  drain(nodes: readonly string[], options: DrainActionOptions): string;
  /** Cancels a running operation (a drain: the nodes stay cordoned). */
  cancelOperation(id: string): void;
  /**
   * Starts (or resumes) a node pool migration in the background and returns the id of its
   * entry in `store.operations` (action `migrate`), where its nodes and pods show.
   */
  migrate?(request: MigrationStart): string;
  /** Pauses (before the next node), resumes or aborts (the pool stays cordoned) a running migration. */
  controlMigration?(id: string, command: 'pause' | 'resume' | 'abort'): void;
  /** The unfinished migrations of this context, from their journals (newest first). */
  unfinishedMigrations?(): readonly UnfinishedMigration[];
  /**
   * Reads the cluster once (GETs only) and runs the migration on a simulated copy; resolves
   * with what happened there. Nothing is written to the cluster.
   */
  rehearseMigration?(request: MigrationStart): Promise<MigrationRehearsal>;
  /**
   * Reads the cluster once (GETs only) and runs the drain of `nodes` on a simulated copy with
   * the real drain engine; resolves with what happened there. Nothing is written to the cluster.
   */
  rehearseDrain?(nodes: readonly string[], options: DrainActionOptions): Promise<DrainRehearsal>;
  /**
   * Cancels every running operation that can be cancelled (drains: their nodes stay
   * cordoned) and resolves once every action in flight has ended and written its audit
   * "end" line. Called when the console quits.
   */
  cancelRunning?(): Promise<void>;
  /** Where the audit log is written. */
  readonly auditLogPath: string;
  /** The audit log's last lines (JSON, oldest first); empty when there is none yet. */
  readAuditLog(maxLines?: number): Promise<readonly string[]>;
  /**
   * Streams the logs of a target's pods (following pods as they come and go, see
   * `src/kube/logs`), calling `onEntries` with each batch of lines and markers until stopped.
   */
  streamLogs(target: LogTarget, options: LogStreamOptions, onEntries: (entries: readonly LogEntry[]) => void): LogStreamHandle;
  /** Writes log lines to a new file (see `src/kube/logs/save-logs.ts`); resolves with its path. */
  saveLogs(lines: readonly string[], label: string): Promise<string>;
  /**
   * Applies Git's manifest of a drift item (by `driftKey`) by server-side apply, field
   * manager `daytwo`, guarded and audited, then compares again. Absent without `--git`.
   */
  syncDrift?(key: string): Promise<void>;
  /**
   * Pod usage from the metrics API (all namespaces when `namespace` is undefined), read
   * only. Never rejects: without metrics-server it answers `status: 'unavailable'`. The
   * metrics API has no watch; poll it (see `usePodUsage`).
   */
  podMetrics?(namespace?: string): Promise<PodUsageState>;
  /**
   * The whole object from the API server (`kubectl get -o yaml`). A Secret's values are
   * masked unless `reveal` is set; they are never logged either way.
   */
  getObject(ref: ObjectRef, options?: { readonly reveal?: boolean }): Promise<KubeObject>;
  /** `kubectl describe`'s text, one string per line (a Secret's values never appear). */
  describe(ref: ObjectRef): Promise<readonly string[]>;
  /** The events about the object, as `kubectl describe` searches them. */
  objectEvents(ref: ObjectRef): Promise<readonly CoreEvent[]>;
  /** `kubectl delete` with a grace period and cascade, guarded and audited; resolves with kubectl's line. */
  deleteObject(ref: ObjectRef, choice: DeleteChoice): Promise<string>;
  /** `kubectl scale --replicas=N` through the scale subresource, guarded and audited. */
  scale(ref: ObjectRef, replicas: number): Promise<string>;
  /** `kubectl rollout restart`, guarded and audited. */
  restart(ref: ObjectRef): Promise<string>;
  /**
   * A shell in a container of a pod: the terminal goes to `kubectl exec -it` until the shell
   * exits (guarded, audited). Rejects when kubectl is not on the PATH.
   */
  shell(pod: ObjectRef, container: string | undefined): Promise<string>;
  /** Why `shell` cannot run here (no kubectl on the PATH, no console), or undefined. */
  readonly shellUnavailable?: string;
  /** The session's port-forwards (`kubectl port-forward` processes), listed by `:pf`. */
  readonly portForwards?: PortForwards;
  /**
   * Keeps `resource`'s server-printed table live (list + Table watch) in the handle's store,
   * limited to `namespace` when given; `stop()` ends the watch. Read only.
   */
  watchResourceTable?(resource: ApiResource, namespace: string | undefined): ResourceTableHandle;
  /** Runs discovery again (a CRD installed since the start) into `store.apiResources`. */
  refreshResources?(): Promise<void>;
}

/** The drain options a user chooses (kubectl drain's flags). */
export type DrainActionOptions = Pick<
  DrainOptions,
  'ignoreDaemonSets' | 'deleteEmptyDirData' | 'force' | 'gracePeriodSeconds' | 'timeoutSeconds' | 'podSelector' | 'skipWaitForDeleteTimeoutSeconds'
>;

/** A migration the console starts. */
export interface MigrationStart {
  readonly from: string;
  /** Target pools; empty for any other schedulable node. */
  readonly to: readonly string[];
  readonly gateTimeoutSeconds: number;
  /** Continue the pool's unfinished migration from its journal. */
  readonly resume?: boolean;
  /** The user saw the preflight's blockers and went on. */
  readonly ignorePreflight?: boolean;
}

/** What the console shows of an unfinished migration's journal. */
export interface UnfinishedMigration {
  readonly from: string;
  readonly to: readonly string[];
  readonly state: string;
  readonly nodes: number;
  readonly nodesDone: number;
  readonly moved: number;
  readonly updatedAt: string;
}
