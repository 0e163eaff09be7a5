/**
 * The drain engine, with `kubectl drain`'s behaviour (k8s.io/kubectl/pkg/cmd/drain/drain.go,
 * pkg/drain/drain.go): cordon every node first, then drain them one at a time; on each node
 * plan with kubectl's filters (`planDrain`), refuse the node when a pod is blocked, else
 * evict its pods concurrently through the Eviction API, retrying a 429 (a
 * PodDisruptionBudget) with a backoff until `--timeout` (see {@link EVICTION_RETRY_BACKOFF}), and wait for each pod to be gone (or
 * replaced by a pod with a new UID). A pod eviction refused is never deleted.
 *
 * Progress goes to `store.operations` (for the console) and to `onEvent` (for the CLI's
 * kubectl-style lines). Cancelling leaves the nodes cordoned and says what moved.
 */
import { controllerOf, type DrainPlan, planDrain } from '../../domain/drain-plan.js';
import type { DrainActionOptions } from '../../store/actions.js';
import { type KubeObject, objectKey } from '@daytwo/k8s/kube-object.js';
import type { Operation, OperationItem, OperationState } from '../../domain/operations.js';
import { ApiRequestError, isNetworkError } from '../errors.js';
import { FLUSH_INTERVAL_MS } from '../../store/batcher.js';
import { describeRequestFailure, KubeHttp } from '../http.js';
import { CREATE_EVICTIONS, type CordonOutcome, nodePath, PATCH_NODES, setUnschedulable } from './cordon.js';
import { ActionCancelled, type ActionEnv, runGuarded } from './guard.js';
import { isPodReady } from '@daytwo/k8s/pod-ready.js';

/** The drain flags a user chooses (kubectl drain's, minus node selection). */
export type DrainFlags = DrainActionOptions;

/**
 * The waits between a pod's evictions answered 429: 1 s, doubling, capped at 5 s (kubectl's
 * fixed `EvictErrorRetryDelay`), no jitter. A budget that frees up soon (a replacement
 * turning Ready) is noticed within a second or two instead of five; a budget that stays
 * shut costs no more requests than kubectl once the cap is reached.
 */
export const EVICTION_RETRY_BACKOFF: EvictionBackoff = { initialMs: 1_000, maxMs: 5_000 };

/** The first wait after a 429 and the longest. */
export interface EvictionBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** The wait before the retry after `failures` consecutive 429s of one pod (1 for the first). */
export function evictionRetryDelay(failures: number, backoff = EVICTION_RETRY_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

/** waitForDelete's poll interval upstream; here a fallback to the pod watch feeding the store. */
const GONE_CHECK_INTERVAL_MS = 1_000;

/**
 * Network failures in a row after which a pod's wait for deletion gives up (one check a
 * second): client-go retries a GET that hit a reset connection, and kubectl's waitForDelete
 * returns on any other error at once. A dead API server ends the wait within seconds
 * instead of at `--timeout` (or never).
 */
const UNREACHABLE_CHECKS = 3;

/** How long an evicted pod's replacement is looked for, after the drain itself ended. */
const REPLACEMENT_WATCH_MS = 5 * 60_000;

/** One step of a drain, for the CLI's lines; the console reads `store.operations` instead. */
export type DrainEvent =
  | { readonly type: 'cordoned'; readonly node: string; readonly outcome: CordonOutcome }
  | { readonly type: 'warning'; readonly node: string; readonly text: string }
  | { readonly type: 'evicting'; readonly node: string; readonly namespace: string; readonly name: string }
  /** An eviction answered 429; the next attempt is in `delayMs` (less when the timeout comes first). */
  | { readonly type: 'retry'; readonly node: string; readonly namespace: string; readonly name: string; readonly message: string; readonly delayMs: number }
  /** The API server accepted the pod's eviction: the pod is leaving (a migration journals its UID). */
  | { readonly type: 'accepted'; readonly node: string; readonly namespace: string; readonly name: string; readonly uid: string }
  | { readonly type: 'evicted'; readonly node: string; readonly namespace: string; readonly name: string }
  | { readonly type: 'drained'; readonly node: string }
  /** The node could not be drained: its plan has blocked pods, or evictions failed. */
  | { readonly type: 'failed'; readonly node: string; readonly errors: readonly string[]; readonly pending: readonly string[] };

/** A drain to run. */
export interface DrainRequest {
  readonly nodes: readonly string[];
  readonly flags: DrainFlags;
  /** kubectl's `--dry-run=client`: nothing is changed, each pod that would be evicted is reported. */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DrainEvent) => void;
  /** Default {@link EVICTION_RETRY_BACKOFF}; tests shorten it. */
  readonly retryBackoff?: EvictionBackoff;
  /** The `store.operations` id; default `drain-<time>`. */
  readonly operationId?: string;
  /**
   * UIDs of pods whose eviction an earlier run already had accepted (a resumed migration):
   * they are not evicted a second time, only waited for until they are gone.
   */
  readonly alreadyEvicted?: ReadonlySet<string>;
}

/** What a drain did, node by node and pod by pod. */
export interface DrainSummary {
  readonly drained: readonly string[];
  /** Nodes not drained, with kubectl's error texts. */
  readonly failed: readonly { readonly node: string; readonly errors: readonly string[] }[];
  /** `namespace/name` of pods evicted and gone. */
  readonly moved: readonly string[];
  /** `namespace/name` of pods that should have gone and did not (cancel, timeout, errors). */
  readonly notMoved: readonly string[];
  /** `namespace/name` of pods evicted and still terminating when the drain was cancelled. */
  readonly terminating: readonly string[];
  /** `namespace/name` of pods whose fate is unknown: the API server went away while they were evicted or waited for. */
  readonly unknown: readonly string[];
  readonly cancelled: boolean;
  /** One line: `drained 2 nodes, 7 pods moved` / `cancelled: ...`. */
  readonly message: string;
  /** What happened to the pods, the end of `message`: `4 pods moved, 2 unknown (a/x, a/y), 0 not moved`. */
  readonly counts: string;
}

/** A drain that ended with nodes not drained; the message is the summary's. */
export class DrainFailed extends Error {
  constructor(readonly summary: DrainSummary) {
    super(summary.message);
    this.name = 'DrainFailed';
  }
}

/** The item states a drain writes into its operation. */
export type DrainItemState =
  | 'pending'
  | 'cordoned'
  | 'draining'
  | 'drained'
  | 'blocked'
  | 'skipped'
  | 'evicting'
  | 'waiting-for-pdb'
  | 'terminating'
  | 'terminated'
  | 'running-elsewhere'
  | 'not-evicted'
  | 'unknown'
  | 'failed';

/**
 * Drains `nodes` through {@link runGuarded} (needs `patch nodes` and `create pods/eviction`;
 * refused under read-only). A dry run changes nothing and is not audited. The store must
 * hold the cluster's daemonsets and poddisruptionbudgets (and pods, for progress): the
 * session's watches fill it.
 *
 * Resolves with the summary when every node was handled (failed nodes included); rejects
 * with `ActionRefused`, with `ActionCancelled` (whose summary is in the operation), or when
 * a node does not exist.
 */
export async function drainNodes(env: ActionEnv, req: DrainRequest): Promise<DrainSummary> {
  const target = req.nodes.map((n) => `node/${n}`).join(',');
  if (req.dryRun) return new DrainRun(env, req).run();
  return runGuarded(env, { action: 'drain', target, options: { ...req.flags }, requires: [PATCH_NODES, CREATE_EVICTIONS] }, async () => {
    const summary = await new DrainRun(env, req).run();
    if (summary.cancelled) throw new ActionCancelled(summary.message);
    if (summary.failed.length > 0) throw new DrainFailed(summary);
    return summary;
  });
}

/** The Eviction (policy/v1) kubectl sends; deleteOptions carry the grace period when one is set. */
export function evictionBody(pod: { namespace: string; name: string }, gracePeriodSeconds = -1): Record<string, unknown> {
  return {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: pod.name, namespace: pod.namespace },
    deleteOptions: gracePeriodSeconds >= 0 ? { gracePeriodSeconds } : {},
  };
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const podPath = (namespace: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
const evictionPath = (namespace: string, name: string) => `${podPath(namespace, name)}/eviction`;

const podKey = (pod: KubeObject) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;

/** Why a pod's drain ended without it leaving. */
class PodEvictionError extends Error {}

class DrainRun {
  private readonly http: KubeHttp;
  private readonly id: string;
  private readonly startedAt = Date.now();
  private readonly items = new Map<string, OperationItem>();
  private readonly moved: string[] = [];
  private readonly notMoved: string[] = [];
  private readonly terminating: string[] = [];
  private readonly unknown: string[] = [];
  private readonly drained: string[] = [];
  private readonly failed: { node: string; errors: string[] }[] = [];
  /** Pod UIDs known when the drain started, so a replacement is a pod with a new UID. */
  private readonly knownUids = new Set<string>();
  private readonly claimedReplacements = new Set<string>();
  private readonly deadline: number;
  private readonly abort = new AbortController();
  /** Evicted pods whose replacement is not running yet: key -> controller UID. */
  private readonly awaitingReplacement = new Map<string, string>();
  private checkReplacements: () => void = () => {};
  private stopReplacementWatch: () => void = () => {};
  private replacementTimer: NodeJS.Timeout | undefined;
  private finished = false;
  private state: OperationState = 'running';
  private message: string | undefined;
  private publishTimer: NodeJS.Timeout | undefined;
  private finishedAt: number | undefined;

  constructor(
    private readonly env: ActionEnv,
    private readonly req: DrainRequest,
  ) {
    this.http = new KubeHttp(env.kc);
    this.id = req.operationId ?? `drain-${this.startedAt}`;
    const timeout = req.flags.timeoutSeconds ?? 0;
    this.deadline = timeout > 0 ? this.startedAt + timeout * 1000 : Number.POSITIVE_INFINITY;
    req.signal?.addEventListener('abort', () => this.abort.abort(), { once: true });
    if (req.signal?.aborted) this.abort.abort();
  }

  private get signal(): AbortSignal {
    return this.abort.signal;
  }

  async run(): Promise<DrainSummary> {
    const { nodes, dryRun } = this.req;
    for (const pod of this.env.store.getState().objects.pods.values()) if (pod.metadata.uid) this.knownUids.add(pod.metadata.uid);
    for (const node of nodes) this.setItem(`node/${node}`, 'pending');
    this.publish('running');
    if (!dryRun) this.startReplacementWatch();
    try {
      return await this.runNodes();
    } catch (err) {
      this.publish('failed', err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      this.finishReplacementWatch();
    }
  }

  private async runNodes(): Promise<DrainSummary> {
    const { nodes, dryRun } = this.req;
    // kubectl resolves every node before touching any: a missing one fails the whole command.
    for (const node of nodes) await this.http.requestJson(nodePath(node));
    for (const node of nodes) {
      const outcome = await setUnschedulable(this.http, node, true, dryRun);
      this.setItem(`node/${node}`, 'cordoned', outcome);
      this.emit({ type: 'cordoned', node, outcome });
    }
    for (const node of nodes) {
      if (this.signal.aborted) break;
      try {
        await this.drainOne(node);
      } catch (err) {
        // A request aborted by the cancel is the cancel, not a failure.
        if (this.signal.aborted) break;
        // kubectl reports the node and goes on with the next ("continuing command...").
        this.failNode(node, [describeRequestFailure(err)], []);
      }
    }
    const summary = this.summary();
    this.publish(summary.cancelled ? 'cancelled' : summary.failed.length > 0 ? 'failed' : 'succeeded', summary.message);
    return summary;
  }

  private async drainOne(node: string): Promise<void> {
    this.setItem(`node/${node}`, 'draining');
    const { plan, pods: listed } = await this.plan(node);
    for (const item of plan.items) {
      const key = `${item.namespace}/${item.name}`;
      if (item.verdict === 'skip') this.setItem(key, 'skipped', item.reason);
      else if (item.verdict === 'blocked') this.setItem(key, 'blocked', item.reason);
      else this.setItem(key, 'pending', item.pdb ? `${item.reason}; ${item.pdb.name} allows no disruption now` : item.reason);
    }
    if (plan.errors.length > 0) {
      const pending = plan.items.filter((i) => i.verdict === 'evict').map((i) => `${i.namespace}/${i.name}`);
      this.notMoved.push(...pending);
      this.failNode(node, plan.errors, pending);
      return;
    }
    if (plan.warnings.length > 0) this.emit({ type: 'warning', node, text: plan.warnings.join('; ') });
    const evict = plan.items.filter((i) => i.verdict === 'evict');
    if (this.req.dryRun) {
      for (const item of evict) this.emit({ type: 'evicting', node, namespace: item.namespace, name: item.name });
      this.setItem(`node/${node}`, 'drained', 'dry run');
      this.drained.push(node);
      this.emit({ type: 'drained', node });
      return;
    }
    const verdicts = new Map(plan.items.map((i) => [`${i.namespace}/${i.name}`, i.verdict]));
    const podObjects = listed.filter((p) => verdicts.get(podKey(p)) === 'evict');
    for (const pod of podObjects) if (pod.metadata.uid) this.knownUids.add(pod.metadata.uid);
    const results = await Promise.allSettled(podObjects.map((pod) => this.evictAndWait(node, pod)));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
    if (this.signal.aborted) {
      this.setItem(`node/${node}`, 'cordoned', 'drain cancelled: the node stays cordoned');
      return;
    }
    if (errors.length > 0) {
      const pending = podObjects.map(podKey).filter((k) => !this.moved.includes(k));
      this.failNode(node, errors, pending);
      return;
    }
    this.setItem(`node/${node}`, 'drained');
    this.drained.push(node);
    this.emit({ type: 'drained', node });
  }

  private failNode(node: string, errors: readonly string[], pending: readonly string[]): void {
    this.failed.push({ node, errors: [...errors] });
    this.setItem(`node/${node}`, 'failed', errors.join('; '));
    this.emit({ type: 'failed', node, errors, pending });
  }

  private async listPods(node: string): Promise<KubeObject[]> {
    const list = await this.http.requestJson<{ items: KubeObject[] }>('/api/v1/pods', {
      query: { fieldSelector: `spec.nodeName=${node}`, labelSelector: this.req.flags.podSelector || undefined },
      signal: this.signal,
    });
    return list.items.map((p) => ({ apiVersion: 'v1', kind: 'Pod', ...p }));
  }

  /** kubectl's GetPodsForDeletion: the node's pods, listed now, through the filters. */
  private async plan(node: string): Promise<{ plan: DrainPlan; pods: KubeObject[] }> {
    const pods = await this.listPods(node);
    const { objects } = this.env.store.getState();
    const daemonSets = [...objects.daemonsets.values(), ...(await this.daemonSetsMissingFromStore(pods, objects.daemonsets))];
    const plan = planDrain(node, pods, { ...this.req.flags, daemonSets, pdbs: objects.poddisruptionbudgets.values() });
    return { plan, pods };
  }

  /**
   * The DaemonSets of the node's pods that the store does not hold, fetched as kubectl's
   * daemonSetFilter does (a GET per owner): under `-n` the store holds one namespace's, while
   * a node runs DaemonSet pods of every namespace. A 404 means the DaemonSet is gone.
   */
  private async daemonSetsMissingFromStore(pods: readonly KubeObject[], known: ReadonlyMap<string, KubeObject>): Promise<KubeObject[]> {
    const wanted = new Map<string, { namespace: string; name: string }>();
    for (const pod of pods) {
      const ref = controllerOf(pod);
      const namespace = pod.metadata.namespace ?? '';
      if (ref?.kind !== 'DaemonSet' || known.has(`${namespace}/${ref.name}`)) continue;
      wanted.set(`${namespace}/${ref.name}`, { namespace, name: ref.name });
    }
    const found = await Promise.all(
      [...wanted.values()].map(({ namespace, name }) =>
        this.http
          .requestJson<KubeObject>(`/apis/apps/v1/namespaces/${namespace}/daemonsets/${name}`, { signal: this.signal })
          .catch((err: unknown) => {
            if (err instanceof ApiRequestError && err.statusCode === 404) return undefined;
            throw err;
          }),
      ),
    );
    return found.filter((ds): ds is KubeObject => ds !== undefined);
  }

  /** evictPods' per-pod loop, then waitForDelete. */
  private async evictAndWait(node: string, original: KubeObject): Promise<void> {
    const namespace = original.metadata.namespace ?? '';
    const name = original.metadata.name ?? '';
    const key = `${namespace}/${name}`;
    let active = original;
    let refusals = 0;
    const evictedBefore = original.metadata.uid !== undefined && this.req.alreadyEvicted?.has(original.metadata.uid) === true;
    while (!evictedBefore) {
      if (this.signal.aborted) return this.giveUp(key, 'drain cancelled before the pod was evicted');
      this.setItem(key, 'evicting');
      this.emit({ type: 'evicting', node, namespace, name });
      if (Date.now() >= this.deadline) {
        this.giveUp(key, 'timeout reached');
        throw new PodEvictionError(`error when evicting pods/"${name}" -n "${namespace}": global timeout reached: ${this.req.flags.timeoutSeconds}s`);
      }
      try {
        await this.http.requestJson(evictionPath(namespace, name), {
          method: 'POST',
          body: evictionBody({ namespace, name }, this.req.flags.gracePeriodSeconds),
        });
        this.emit({ type: 'accepted', node, namespace, name, uid: original.metadata.uid ?? '' });
        break;
      } catch (err) {
        if (err instanceof ApiRequestError && err.statusCode === 404) {
          // Already gone: kubectl counts it done without an "evicted" line.
          this.markGone(node, key, original, false);
          return;
        }
        if (err instanceof ApiRequestError && err.statusCode === 429) {
          refusals++;
          const delayMs = Math.min(evictionRetryDelay(refusals, this.req.retryBackoff), Math.max(0, this.deadline - Date.now()));
          this.setItem(key, 'waiting-for-pdb', err.message);
          this.emit({ type: 'retry', node, namespace, name, message: err.message, delayMs });
          await sleep(delayMs, this.signal);
          try {
            active = await this.http.requestJson<KubeObject>(podPath(namespace, name));
          } catch {
            // kubectl ignores this error and lets the next eviction sort it out
          }
          continue;
        }
        const message = describeRequestFailure(err);
        // A refused connection sent nothing; a connection lost in flight may have evicted it.
        if (isNetworkError(err) && (err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') this.markUnknown(key, message);
        else this.giveUp(key, message, 'failed');
        throw new PodEvictionError(`error when evicting pods/"${name}" -n "${namespace}": ${message}`);
      }
    }
    this.setItem(key, 'terminating');
    let gone: boolean;
    try {
      gone = await this.waitForGone(active);
    } catch (err) {
      const message = describeRequestFailure(err);
      this.markUnknown(key, `evicted; unknown whether gone: ${message}`);
      throw new PodEvictionError(`error when waiting for pod "${name}" in namespace "${namespace}" to terminate: ${message}`);
    }
    if (!gone) {
      if (this.signal.aborted) {
        // Evicted, not gone yet: neither moved (no "evicted" line was printed) nor not evicted.
        this.terminating.push(key);
        this.setItem(key, 'terminating', 'evicted; still terminating when the drain was cancelled');
        const ref = controllerOf(original);
        if (ref && ref.kind !== 'DaemonSet') this.awaitingReplacement.set(key, ref.uid);
        return;
      }
      this.giveUp(key, 'timeout reached while the pod was terminating', 'terminating');
      throw new PodEvictionError(`error when waiting for pod "${name}" in namespace "${namespace}" to terminate: global timeout reached: ${this.req.flags.timeoutSeconds}s`);
    }
    this.markGone(node, key, original);
  }

  private markGone(node: string, key: string, pod: KubeObject, announce = true): void {
    this.moved.push(key);
    const ref = controllerOf(pod);
    const replaced = ref && ref.kind !== 'DaemonSet';
    this.setItem(key, 'terminated', replaced ? `waiting for ${ref.kind} ${ref.name} to run it again` : 'gone (no controller recreates it)');
    const [namespace, name] = key.split('/');
    if (announce) this.emit({ type: 'evicted', node, namespace, name });
    if (replaced) {
      this.awaitingReplacement.set(key, ref.uid);
      this.checkReplacements();
    }
  }

  private markUnknown(key: string, message: string): void {
    if (!this.unknown.includes(key)) this.unknown.push(key);
    this.setItem(key, 'unknown', message);
  }

  private giveUp(key: string, message: string, state: DrainItemState = 'not-evicted'): void {
    if (!this.notMoved.includes(key)) this.notMoved.push(key);
    this.setItem(key, state, message);
  }

  /**
   * Resolves true once the pod is gone or replaced by one with a new UID (kubectl's
   * waitForDelete), false on cancel or timeout; rejects with the network error when the
   * API server cannot be reached {@link UNREACHABLE_CHECKS} times in a row. The pod watch
   * (store) answers first; a GET every second covers a watch that lags.
   */
  private async waitForGone(pod: KubeObject): Promise<boolean> {
    const key = objectKey(pod);
    const uid = pod.metadata.uid;
    const goneInStore = () => {
      const current = this.env.store.getState().objects.pods.get(key);
      return !current || (uid !== undefined && current.metadata.uid !== uid);
    };
    let unreachable = 0;
    const goneOnServer = async () => {
      try {
        const current = await this.http.requestJson<KubeObject>(podPath(pod.metadata.namespace ?? '', pod.metadata.name ?? ''), { signal: this.signal });
        unreachable = 0;
        return uid !== undefined && current.metadata.uid !== uid;
      } catch (err) {
        if (isNetworkError(err) && !this.signal.aborted && ++unreachable >= UNREACHABLE_CHECKS) throw err;
        return err instanceof ApiRequestError && err.statusCode === 404;
      }
    };
    while (!this.signal.aborted && Date.now() < this.deadline) {
      if (await goneOnServer()) return true;
      // Sleep until the next check, or until the watch reports the pod gone (then confirm it).
      const wake = new AbortController();
      const unsubscribe = this.env.store.subscribe(() => {
        if (goneInStore()) wake.abort();
      });
      const stop = () => wake.abort();
      this.signal.addEventListener('abort', stop, { once: true });
      await sleep(Math.min(GONE_CHECK_INTERVAL_MS, Math.max(0, this.deadline - Date.now())), wake.signal);
      unsubscribe();
      this.signal.removeEventListener('abort', stop);
    }
    return false;
  }

  /**
   * Follows the evicted pods' controllers in the store: a new pod (a UID not seen when the
   * drain started) of the same controller, bound to a node not being drained and Ready, is
   * where an evicted pod runs again. Runs from the start so the console shows it live.
   */
  private startReplacementWatch(): void {
    const check = () => {
      if (this.awaitingReplacement.size === 0) return;
      let changed = false;
      for (const pod of this.env.store.getState().objects.pods.values()) {
        const uid = pod.metadata.uid ?? '';
        const nodeName: string | undefined = pod.spec?.nodeName;
        const ref = controllerOf(pod);
        if (!uid || !ref || !nodeName || this.knownUids.has(uid) || this.claimedReplacements.has(uid) || !isPodReady(pod)) continue;
        if (this.req.nodes.includes(nodeName)) continue;
        const key = [...this.awaitingReplacement].find(([, ownerUid]) => ownerUid === ref.uid)?.[0];
        if (!key) continue;
        this.claimedReplacements.add(uid);
        this.awaitingReplacement.delete(key);
        this.items.set(key, { key, state: 'running-elsewhere', message: `running again on ${nodeName} as ${pod.metadata.name}` });
        changed = true;
      }
      if (changed) this.publish(this.state, this.message);
      if (this.finished && this.awaitingReplacement.size === 0) this.stopReplacementWatch();
    };
    const unsubscribe = this.env.store.subscribe(check);
    this.checkReplacements = check;
    this.stopReplacementWatch = () => {
      unsubscribe();
      if (this.replacementTimer) clearTimeout(this.replacementTimer);
    };
  }

  /** After the drain ended: keep looking for a while, then stop. */
  private finishReplacementWatch(): void {
    this.finished = true;
    if (this.awaitingReplacement.size === 0) {
      this.stopReplacementWatch();
      return;
    }
    this.replacementTimer = setTimeout(() => this.stopReplacementWatch(), REPLACEMENT_WATCH_MS);
    this.replacementTimer.unref?.();
  }

  private setItem(key: string, state: DrainItemState, message?: string): void {
    this.items.set(key, { key, state, ...(message ? { message } : {}) });
    this.publish(this.state, this.message);
  }

  /**
   * Writes the operation to the store. While running, writes are coalesced to one per store
   * flush interval: evicting many pods at once is a burst of item changes, and each write
   * re-renders the console. The final state is written at once.
   */
  private publish(state: OperationState, message?: string): void {
    this.state = state;
    this.message = message;
    if (state === 'running') {
      this.publishTimer ??= setTimeout(() => this.flushOperation(), FLUSH_INTERVAL_MS);
      return;
    }
    this.flushOperation();
  }

  private flushOperation(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    const { state, message } = this;
    if (state !== 'running') this.finishedAt ??= Date.now();
    const op: Operation = {
      id: this.id,
      action: this.req.dryRun ? 'drain (dry run)' : 'drain',
      target: this.req.nodes.map((n) => `node/${n}`).join(','),
      state,
      startedAt: this.startedAt,
      ...(this.finishedAt !== undefined ? { finishedAt: this.finishedAt } : {}),
      ...(message ? { message } : {}),
      items: [...this.items.values()],
    };
    this.env.store.getState().putOperation(op);
  }

  private emit(event: DrainEvent): void {
    this.req.onEvent?.(event);
  }

  private summary(): DrainSummary {
    const cancelled = this.signal.aborted;
    const moved = [...this.moved];
    const terminating = [...this.terminating];
    const unknown = [...this.unknown];
    const notMoved = this.notMoved.filter((k) => !this.moved.includes(k) && !this.unknown.includes(k));
    const listed = (keys: readonly string[]) => (keys.length > 0 ? ` (${keys.join(', ')})` : '');
    const counts = [
      `${moved.length} pod${moved.length === 1 ? '' : 's'} moved`,
      ...(terminating.length > 0 ? [`${terminating.length} evicted and still terminating${listed(terminating)}`] : []),
      ...(unknown.length > 0 ? [`${unknown.length} unknown${listed(unknown)}`] : []),
      `${notMoved.length} not moved${listed(notMoved)}`,
    ].join(', ');
    let message: string;
    if (cancelled) message = `drain cancelled: ${counts}; ${this.req.nodes.length === 1 ? 'the node stays' : 'the nodes stay'} cordoned`;
    else if (this.failed.length > 0) message = `${this.failed.map((f) => `node/${f.node}`).join(', ')} not drained: ${this.failed.flatMap((f) => f.errors).join('; ')}; ${counts}`;
    else message = `drained ${this.drained.map((n) => `node/${n}`).join(', ')}: ${counts}`;
    return { drained: [...this.drained], failed: this.failed.map((f) => ({ ...f })), moved, notMoved, terminating, unknown, cancelled, message, counts };
  }
}
