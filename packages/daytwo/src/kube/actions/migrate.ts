/**
 * Node pool migration as one operation: preflight, cordon every node of the source pool,
 * then drain one node at a time (the drain engine: kubectl's filters, evictions, PDB 429
 * retries) and after each node hold the next one at the availability gate until every
 * workload that lost a pod is available again. The journal file is written after every
 * step; a resumed run reads it and the cluster, never evicts a pod twice and never
 * uncordons anything. Every step is audited (cordon and drain through their own guarded
 * actions, the gate as `migrate-gate`).
 */
import { planDrain } from '../../domain/drain-plan.js';
import { evaluateGate, type GateResult, gateWaitingText, type WorkloadRef, workloadKey, workloadOfPod } from '../../domain/migration-gate.js';
import { type MigrationPreflight, migrationDrainOptions, migrationPreflight } from '../../domain/migration-preflight.js';
import type { OperationItem, OperationState } from '../../domain/operations.js';
import { KubeHttp } from '../http.js';
import {
  isUnfinished,
  type JournalEviction,
  journalPath,
  type MigrationJournal,
  type MigrationNodeState,
  type MigrationState,
  readJournal,
  writeJournal,
} from '../migration-journal.js';
import { type CordonOutcome, CREATE_EVICTIONS, PATCH_NODES, setUnschedulable } from './cordon.js';
import { type DrainEvent, type DrainFlags, drainNodes, type EvictionBackoff } from './drain.js';
import { ActionCancelled, type ActionEnv, runGuarded } from './guard.js';

/** A migration to run (or resume). */
export interface MigrationRequest {
  readonly from: string;
  /** Target pools; empty for any other schedulable node. */
  readonly to?: readonly string[];
  /** How long the gate may hold after a node before the migration stops (0: forever). */
  readonly gateTimeoutSeconds: number;
  readonly drain?: DrainFlags;
  /** Preflight and plan only: nothing is changed, no journal is written. */
  readonly dryRun?: boolean;
  /** Continue the unfinished migration of `from` from its journal. */
  readonly resume?: boolean;
  /** Start although the preflight found blockers. */
  readonly ignorePreflight?: boolean;
  /** Default: the state directory's journal of this context and pool. */
  readonly journalFile?: string;
  readonly onEvent?: (event: MigrationEvent) => void;
  readonly retryBackoff?: EvictionBackoff;
}

export type MigrationEvent =
  | { readonly type: 'preflight'; readonly preflight: MigrationPreflight }
  | { readonly type: 'resuming'; readonly journal: MigrationJournal }
  | { readonly type: 'cordoned'; readonly node: string; readonly outcome: CordonOutcome; readonly dryRun?: boolean }
  | { readonly type: 'draining'; readonly node: string }
  /** The drain engine's own events for the node being drained (its cordon line left out). */
  | { readonly type: 'drain'; readonly event: Exclude<DrainEvent, { type: 'cordoned' }>; readonly dryRun?: boolean }
  | { readonly type: 'node-done'; readonly node: string; readonly reason?: string }
  /** The gate after `node` changed: emitted when what it waits for changes. */
  | { readonly type: 'gate'; readonly node: string; readonly gate: GateResult }
  | { readonly type: 'gate-open'; readonly node: string; readonly waitedMs: number }
  | { readonly type: 'paused' }
  | { readonly type: 'resumed' };

/** How a migration ended. */
export interface MigrationSummary {
  readonly state: MigrationState;
  readonly drained: readonly string[];
  /** `namespace/name` of every pod evicted by this migration (this run and the runs it resumed). */
  readonly moved: readonly string[];
  readonly preflight: MigrationPreflight;
  readonly journalFile?: string;
  /** One line, kubectl-like. */
  readonly message: string;
}

/** Pause, resume and abort a running migration. */
export interface MigrationControl {
  /** Holds the migration before its next node (the node being drained finishes, with its gate). */
  pause(): void;
  resume(): void;
  /** Stops now: an eviction in flight finishes, nodes stay cordoned, the journal says what moved. */
  abort(): void;
  readonly paused: boolean;
}

export interface MigrationHandle {
  readonly id: string;
  readonly control: MigrationControl;
  /** Resolves with the summary; rejects when it could not start (refused, no journal, unknown pool). */
  readonly done: Promise<MigrationSummary>;
}

/** The gate's poll interval when no store change wakes it (the store's watches normally do). */
const GATE_RECHECK_MS = 1_000;

/** The migration could not continue: a gate timed out or a node failed to drain. */
class MigrationStopped extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Starts a migration (or resumes one) in the background. The store must hold nodes, pods,
 * replicasets, deployments, statefulsets, daemonsets and poddisruptionbudgets: the
 * session's watches fill it.
 */
export function startMigration(env: ActionEnv, req: MigrationRequest): MigrationHandle {
  const run = new MigrationRun(env, req);
  return { id: run.id, control: run.control, done: run.run() };
}

class MigrationRun {
  readonly id: string;
  private readonly http: KubeHttp;
  private readonly abort = new AbortController();
  private pausedFlag = false;
  private wakePause: () => void = () => {};
  private journal!: MigrationJournal;
  private journalFile = '';
  private readonly items = new Map<string, OperationItem>();
  private readonly startedAt = Date.now();
  private lastGateText = '';
  private stepsStarted = false;
  private operationMessage: string | undefined;
  readonly control: MigrationControl;

  constructor(
    private readonly env: ActionEnv,
    private readonly req: MigrationRequest,
  ) {
    this.id = `migrate-${req.from}-${this.startedAt}`;
    this.http = new KubeHttp(env.kc);
    const self = this;
    this.control = {
      pause: () => {
        if (self.pausedFlag || self.abort.signal.aborted) return;
        self.pausedFlag = true;
        self.emit({ type: 'paused' });
        if (self.journal) self.setState('paused', 'paused: the next node waits for resume');
      },
      resume: () => {
        if (!self.pausedFlag) return;
        self.pausedFlag = false;
        self.emit({ type: 'resumed' });
        if (self.journal) self.setState('running', undefined);
        self.wakePause();
      },
      abort: () => {
        self.abort.abort();
        self.wakePause();
      },
      get paused() {
        return self.pausedFlag;
      },
    };
  }

  async run(): Promise<MigrationSummary> {
    try {
      return await this.runChecked();
    } finally {
      this.http.close();
    }
  }

  private async runChecked(): Promise<MigrationSummary> {
    const { req } = this;
    const state = this.env.store.getState();
    this.journalFile = req.journalFile ?? journalPath(state.cluster.context, req.from);
    const existing = readJournal(this.journalFile);
    if (existing && isUnfinished(existing) && !req.resume && !req.dryRun) {
      throw new Error(`an unfinished migration of node pool "${req.from}" exists (${existing.state}, journal ${this.journalFile}): resume it with --resume`);
    }
    if (req.resume && (!existing || !isUnfinished(existing))) throw new Error(`no unfinished migration of node pool "${req.from}" to resume (journal ${this.journalFile})`);
    const to = req.resume && existing ? existing.to : (req.to ?? []);
    const preflight = this.preflight(to);
    this.emit({ type: 'preflight', preflight });
    if (req.dryRun) return this.dryRun(preflight);
    if (!req.resume && preflight.blockers.length > 0 && !req.ignorePreflight) {
      return { state: 'failed', drained: [], moved: [], preflight, message: `preflight found ${preflight.blockers.length} blocker${preflight.blockers.length === 1 ? '' : 's'}: nothing was changed` };
    }
    const now = new Date().toISOString();
    this.journal =
      req.resume && existing
        ? { ...existing, state: 'running', updatedAt: now }
        : {
            version: 1,
            id: this.id,
            context: state.cluster.context,
            from: req.from,
            to,
            gateTimeoutSeconds: req.gateTimeoutSeconds,
            drain: { ...(req.drain ?? {}) },
            state: 'running',
            startedAt: now,
            updatedAt: now,
            nodes: preflight.sourceNodes.map((name) => ({ name, state: 'pending' as const })),
            evicted: [],
          };
    if (req.resume && existing) {
      this.settleUnansweredEvictions();
      this.emit({ type: 'resuming', journal: this.journal });
    }
    for (const n of this.journal.nodes) this.items.set(`node/${n.name}`, { key: `node/${n.name}`, state: n.state });
    const spec = {
      action: 'migrate',
      target: `nodepool/${req.from}`,
      options: { to, gateTimeoutSeconds: this.journal.gateTimeoutSeconds, ...(req.resume ? { resume: true } : {}), ...this.journal.drain },
      requires: [PATCH_NODES, CREATE_EVICTIONS],
    };
    try {
      const summary = await runGuarded(this.env, spec, () => this.steps(preflight));
      return summary;
    } catch (err) {
      if (err instanceof ActionCancelled) return this.finish('aborted', preflight);
      if (err instanceof MigrationStopped) return this.finish('failed', preflight, err.message);
      // Refused before any step: nothing changed and no journal. After a step: the journal says where it stopped.
      if (this.stepsStarted) this.finish('failed', preflight, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private preflight(to: readonly string[]): MigrationPreflight {
    const { objects, cluster } = this.env.store.getState();
    return migrationPreflight({
      nodes: [...objects.nodes.values()],
      pods: [...objects.pods.values()],
      pdbs: objects.poddisruptionbudgets.values(),
      daemonSets: objects.daemonsets.values(),
      from: this.req.from,
      to,
      apiServerVersion: cluster.version,
      drain: this.req.drain,
    });
  }

  private dryRun(preflight: MigrationPreflight): MigrationSummary {
    for (const node of preflight.sourceNodes) this.emit({ type: 'cordoned', node, outcome: 'cordoned', dryRun: true });
    for (const plan of preflight.plans) {
      for (const item of plan.items.filter((i) => i.verdict === 'evict')) {
        this.emit({ type: 'drain', event: { type: 'evicting', node: plan.node, namespace: item.namespace, name: item.name }, dryRun: true });
      }
      this.emit({ type: 'drain', event: { type: 'drained', node: plan.node }, dryRun: true });
    }
    const ok = preflight.blockers.length === 0;
    return {
      state: ok ? 'succeeded' : 'failed',
      drained: [],
      moved: [],
      preflight,
      message: `${preflight.sourceNodes.length} node${preflight.sourceNodes.length === 1 ? '' : 's'}, ${preflight.evictions.length} eviction${preflight.evictions.length === 1 ? '' : 's'} planned${ok ? '' : `; ${preflight.blockers.length} blocker${preflight.blockers.length === 1 ? '' : 's'}`} (dry run)`,
    };
  }

  private async steps(preflight: MigrationPreflight): Promise<MigrationSummary> {
    this.stepsStarted = true;
    this.save();
    for (const { name, state } of this.journal.nodes) {
      if (this.abort.signal.aborted) throw new ActionCancelled();
      if (state === 'done') continue;
      // Cordoning is idempotent: a node cordoned by the run being resumed reads "already cordoned".
      const outcome = await runGuarded(this.env, { action: 'cordon', target: `node/${name}`, requires: [PATCH_NODES] }, () => setUnschedulable(this.http, name, true));
      if (state === 'pending') this.setNode(name, 'cordoned', outcome);
      this.emit({ type: 'cordoned', node: name, outcome });
    }
    for (const { name } of this.journal.nodes) {
      await this.whilePaused();
      if (this.abort.signal.aborted) throw new ActionCancelled();
      await this.migrateNode(name);
    }
    return this.finish('succeeded', preflight);
  }

  private async migrateNode(node: string): Promise<void> {
    const current = this.journal.nodes.find((n) => n.name === node);
    if (current?.state === 'done' && !this.hasPodsToEvict(node)) {
      this.emit({ type: 'node-done', node, reason: 'already drained' });
      return;
    }
    if (current?.state !== 'gating') {
      this.setNode(node, 'draining');
      this.emit({ type: 'draining', node });
      await this.drain(node);
    }
    this.setNode(node, 'gating');
    await this.gate(node);
    this.setNode(node, 'done');
    this.emit({ type: 'node-done', node });
  }

  private hasPodsToEvict(node: string): boolean {
    const { objects } = this.env.store.getState();
    const plan = planDrain(node, objects.pods.values(), { ...migrationDrainOptions(this.req.drain), daemonSets: objects.daemonsets.values() });
    return plan.items.some((i) => i.verdict === 'evict');
  }

  /**
   * Pods the API server already accepted an eviction for: those in the journal and, for a
   * run killed between the eviction and its journal line, those already terminating.
   */
  private alreadyEvicted(node: string): Set<string> {
    const uids = new Set(this.journal.evicted.filter((e) => e.accepted).map((e) => e.uid));
    for (const pod of this.env.store.getState().objects.pods.values()) {
      if (pod.spec?.nodeName === node && pod.metadata.deletionTimestamp && pod.metadata.uid) uids.add(pod.metadata.uid);
    }
    return uids;
  }

  private async drain(node: string): Promise<void> {
    const alreadyEvicted = this.alreadyEvicted(node);
    try {
      await drainNodes(this.env, {
        nodes: [node],
        flags: migrationDrainOptions(this.req.drain),
        signal: this.abort.signal,
        alreadyEvicted,
        operationId: `${this.id}/${node}`,
        ...(this.req.retryBackoff ? { retryBackoff: this.req.retryBackoff } : {}),
        onEvent: (e) => this.onDrainEvent(e),
      });
    } catch (err) {
      if (err instanceof ActionCancelled) throw err;
      const message = err instanceof Error ? err.message : String(err);
      this.setNode(node, 'failed', message);
      throw new MigrationStopped(message.startsWith(`node/${node} `) ? message : `node/${node} not drained: ${message}`);
    }
  }

  private onDrainEvent(e: DrainEvent): void {
    if (e.type === 'cordoned') return;
    if (e.type === 'evicting') this.recordEviction(e, false);
    if (e.type === 'accepted') {
      this.recordEviction(e, true);
      this.items.set(`${e.namespace}/${e.name}`, { key: `${e.namespace}/${e.name}`, state: 'evicted', message: `eviction accepted on node/${e.node}` });
      this.publish();
    } else if (e.type === 'evicting' || e.type === 'evicted' || e.type === 'retry') {
      const key = `${e.namespace}/${e.name}`;
      const state = e.type === 'retry' ? 'waiting-for-pdb' : e.type;
      this.items.set(key, { key, state, ...(e.type === 'retry' ? { message: e.message } : { message: `node/${e.node}` }) });
      this.publish();
    }
    this.emit({ type: 'drain', event: e });
  }

  private recordEviction(e: { node: string; namespace: string; name: string; uid?: string }, accepted: boolean): void {
    const key = `${e.namespace}/${e.name}`;
    const { objects } = this.env.store.getState();
    const pod = objects.pods.get(key);
    const uid = e.uid || pod?.metadata.uid;
    if (!uid) return;
    const known = this.journal.evicted.find((x) => x.uid === uid);
    if (known && (known.accepted || !accepted)) return;
    const workload = known?.workload ?? (pod ? workloadOfPod(pod, objects.replicasets) : undefined);
    const entry: JournalEviction = { pod: key, uid, node: e.node, ...(workload ? { workload } : {}), accepted };
    this.journal = { ...this.journal, evicted: [...this.journal.evicted.filter((x) => x.uid !== uid), entry] };
    this.save();
  }

  /**
   * Settles the evictions a killed run sent but did not see answered: a pod still there and
   * not terminating was not evicted (it will be now); terminating or gone, it was.
   */
  private settleUnansweredEvictions(): void {
    const pods = new Map([...this.env.store.getState().objects.pods.values()].map((p) => [p.metadata.uid ?? '', p]));
    const evicted = this.journal.evicted.flatMap((e) => {
      if (e.accepted) return [e];
      const pod = pods.get(e.uid);
      return pod && !pod.metadata.deletionTimestamp ? [] : [{ ...e, accepted: true }];
    });
    this.journal = { ...this.journal, evicted };
  }

  /** Holds until every workload that lost a pod on `node` is available again, or the gate times out. */
  private async gate(node: string): Promise<void> {
    const workloads = new Map<string, WorkloadRef>();
    for (const e of this.journal.evicted) if (e.node === node && e.accepted && e.workload) workloads.set(workloadKey(e.workload), e.workload);
    const gone = new Set(this.journal.evicted.filter((e) => e.accepted).map((e) => e.uid));
    const started = Date.now();
    const timeoutMs = this.journal.gateTimeoutSeconds * 1000;
    const deadline = timeoutMs > 0 ? started + timeoutMs : Number.POSITIVE_INFINITY;
    this.lastGateText = '';
    const audit = { context: this.env.store.getState().cluster.context, user: this.env.store.getState().cluster.user ?? '', action: 'migrate-gate', target: `node/${node}` };
    this.env.audit.write({ ...audit, phase: 'start', options: { workloads: [...workloads.keys()] } });
    for (;;) {
      const gate = this.evaluate([...workloads.values()], gone);
      const text = gateWaitingText(gate);
      if (text !== this.lastGateText) {
        this.lastGateText = text;
        this.emit({ type: 'gate', node, gate });
        this.setNode(node, 'gating', text);
      }
      if (gate.open) {
        const waitedMs = Date.now() - started;
        this.env.audit.write({ ...audit, phase: 'end', result: 'succeeded', message: `open after ${Math.round(waitedMs / 1000)}s` });
        this.emit({ type: 'gate-open', node, waitedMs });
        return;
      }
      if (this.abort.signal.aborted) {
        this.env.audit.write({ ...audit, phase: 'end', result: 'cancelled', message: text });
        throw new ActionCancelled();
      }
      if (Date.now() >= deadline) {
        const message = `gate after node/${node} timed out after ${this.journal.gateTimeoutSeconds}s: ${text}`;
        this.env.audit.write({ ...audit, phase: 'end', result: 'failed', message });
        this.setNode(node, 'gating', message);
        throw new MigrationStopped(message);
      }
      await this.storeChange(Math.min(GATE_RECHECK_MS, deadline - Date.now()));
    }
  }

  private evaluate(workloads: readonly WorkloadRef[], gone: ReadonlySet<string>): GateResult {
    const { objects } = this.env.store.getState();
    // The store may still hold an evicted pod the server has already removed: it is gone.
    const pods = [...objects.pods.values()].filter((p) => !gone.has(p.metadata.uid ?? ''));
    return evaluateGate(workloads, {
      pods,
      replicasets: objects.replicasets.values(),
      deployments: objects.deployments.values(),
      statefulsets: objects.statefulsets.values(),
    });
  }

  private storeChange(ms: number): Promise<void> {
    const wake = new AbortController();
    const unsubscribe = this.env.store.subscribe(() => wake.abort());
    const onAbort = () => wake.abort();
    this.abort.signal.addEventListener('abort', onAbort, { once: true });
    return sleep(ms, wake.signal).finally(() => {
      unsubscribe();
      this.abort.signal.removeEventListener('abort', onAbort);
    });
  }

  private async whilePaused(): Promise<void> {
    while (this.pausedFlag && !this.abort.signal.aborted) {
      await new Promise<void>((resolve) => {
        this.wakePause = resolve;
      });
    }
  }

  private setNode(name: string, state: MigrationNodeState, message?: string): void {
    this.journal = {
      ...this.journal,
      nodes: this.journal.nodes.map((n) => (n.name === name ? { name, state, ...(message ? { message } : {}) } : n)),
    };
    this.items.set(`node/${name}`, { key: `node/${name}`, state, ...(message ? { message } : {}) });
    this.save();
  }

  private setState(state: MigrationState, message: string | undefined): void {
    this.journal = { ...this.journal, state, ...(message ? { message } : {}) };
    if (!message) delete (this.journal as { message?: string }).message;
    this.operationMessage = message;
    this.save();
  }

  private finish(state: MigrationState, preflight: MigrationPreflight, reason?: string): MigrationSummary {
    const drained = this.journal.nodes.filter((n) => n.state === 'done').map((n) => n.name);
    const moved = this.journal.evicted.filter((e) => e.accepted).map((e) => e.pod);
    const pods = `${moved.length} pod${moved.length === 1 ? '' : 's'} moved${moved.length > 0 && state !== 'succeeded' ? ` (${moved.join(', ')})` : ''}`;
    const nodes = `${drained.length}/${this.journal.nodes.length} nodes drained`;
    const message =
      state === 'succeeded'
        ? `nodepool/${this.req.from} migrated: ${nodes}, ${pods}`
        : state === 'aborted'
          ? `migration of nodepool/${this.req.from} aborted: ${nodes}, ${pods}; every node of the pool stays cordoned`
          : `migration of nodepool/${this.req.from} stopped: ${reason}; ${nodes}, ${pods}; resume with --resume`;
    this.pausedFlag = false;
    if (state !== 'succeeded') {
      for (const n of this.journal.nodes) {
        if (n.state === 'draining' || n.state === 'gating') this.items.set(`node/${n.name}`, { key: `node/${n.name}`, state: n.state, message: `${state} here; the node stays cordoned` });
      }
    }
    this.setState(state, message);
    return { state, drained, moved, preflight, journalFile: this.journalFile, message };
  }

  private save(): void {
    this.journal = { ...this.journal, updatedAt: new Date().toISOString() };
    writeJournal(this.journalFile, this.journal);
    this.publish();
  }

  private publish(): void {
    const state: OperationState =
      this.journal.state === 'succeeded' ? 'succeeded' : this.journal.state === 'aborted' ? 'cancelled' : this.journal.state === 'failed' ? 'failed' : 'running';
    const finished = state !== 'running';
    this.env.store.getState().putOperation({
      id: this.id,
      action: 'migrate',
      target: `nodepool/${this.req.from}`,
      state,
      startedAt: this.startedAt,
      ...(finished ? { finishedAt: Date.now() } : {}),
      ...((this.operationMessage ?? this.lastGateText) ? { message: this.operationMessage ?? this.lastGateText } : {}),
      ...(this.pausedFlag && !finished ? { paused: true } : {}),
      items: [...this.items.values()],
    });
  }

  private emit(event: MigrationEvent): void {
    this.req.onEvent?.(event);
  }
}
