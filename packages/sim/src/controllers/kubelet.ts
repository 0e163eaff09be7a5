/**
 * The simulated kubelets of every node: start bound pods (Pending -> Running with container
 * statuses, IPs and conditions), make them ready, crash-loop the ones annotated to crash
 * (kubelet's back-off: 10 s doubling to 5 min), finish Job pods, and remove pods whose
 * graceful deletion has run out.
 */
import { createHash } from 'node:crypto';
import { formatGoDuration } from '@daytwo/k8s/duration.js';
import type { Container, Node, Pod, PodStatus } from '@daytwo/k8s/wire-types.js';
import type { StoreEvent } from '../types.js';
import { QueueController } from './base.js';
import { recordEvent } from './events.js';
import {
  controllerOf,
  deleteIfPresent,
  GR,
  getOf,
  isPodTerminal,
  listOf,
  MANAGER,
  NULL_TIME,
  type PodCondition,
  rfc3339,
  splitKey,
  updateWithRetry,
} from './objects.js';

/** Pod annotations the simulation understands. */
export const SIM_ANNOTATIONS = {
  crash: 'sim.daytwo.dev/crash',
  exitCode: 'sim.daytwo.dev/exit-code',
  runSeconds: 'sim.daytwo.dev/run-seconds',
} as const;

const START_DELAY_MS = 1000;
/** How long a crash-looping container runs before it exits. */
const CRASH_AFTER_MS = 3000;
/** Simulated time a container takes to stop once asked to (capped by the grace period). */
const TERMINATION_MS = 2000;
const DEFAULT_RUN_SECONDS = 5;
/** kubelet `initialBackOff` and `MaxContainerBackOff` (pkg/kubelet/kubelet.go). */
const BACKOFF_INITIAL_S = 10;
const BACKOFF_MAX_S = 300;

type Action = 'start' | 'ready' | 'crash' | 'restart' | 'finish' | 'remove';

export class KubeletController extends QueueController {
  readonly name = 'kubelet';
  /** Wall-clock deadlines of pending transitions, by pod uid and action. */
  private readonly deadlines = new Map<string, number>();

  override start(ctx: import('../types.js').ControllerContext): void {
    this.deadlines.clear();
    super.start(ctx);
  }

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr !== GR.pods || ev.type === 'DELETED' || !(ev.object as Pod).spec?.nodeName) return [];
    return [`${ev.object.metadata.namespace}/${ev.object.metadata.name}`];
  }

  protected allKeys(): string[] {
    return listOf(this.ctx.store, GR.pods)
      .filter((p) => p.spec?.nodeName && needsWork(p))
      .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = getOf(this.ctx.store, GR.pods, namespace, name);
    if (!pod?.spec?.nodeName) return;
    if (pod.metadata.deletionTimestamp) {
      this.terminate(pod);
      return;
    }
    if (isPodTerminal(pod)) return;
    if (!pod.status?.startTime || pod.status?.phase === 'Pending') {
      if (this.due(pod, 'start', START_DELAY_MS)) this.startPod(pod);
      return;
    }
    if (isJobPod(pod)) {
      this.runToCompletion(pod);
      return;
    }
    if (pod.metadata.annotations?.[SIM_ANNOTATIONS.crash] === 'true' && (pod.spec.restartPolicy ?? 'Always') === 'Always') {
      this.crashLoop(pod);
      return;
    }
    this.readiness(pod);
  }

  /**
   * True when `action` is due for `pod`; otherwise arms a timer for it. Delays are
   * simulated milliseconds (the clock scales them); in immediate mode everything is due
   * at once except crash-loop restarts, which always wait for their back-off.
   */
  private due(pod: Pod, action: Action, ms: number): boolean {
    if (this.immediate) return action !== 'restart';
    const id = `${pod.metadata.uid}/${action}`;
    const now = this.now().getTime();
    const speed = this.ctx.clock.speed;
    let deadline = this.deadlines.get(id);
    if (deadline === undefined) {
      if (ms <= 0) return true;
      deadline = now + ms / speed;
      this.deadlines.set(id, deadline);
    }
    if (now >= deadline) {
      this.deadlines.delete(id);
      return true;
    }
    this.requeueAfter(`${pod.metadata.namespace}/${pod.metadata.name}`, (deadline - now) * speed);
    return false;
  }

  private write(pod: Pod, mutate: (copy: Pod) => boolean | undefined): Pod | undefined {
    return updateWithRetry<Pod>(this.ctx.store, GR.pods, pod.metadata.namespace, pod.metadata.name ?? '', mutate, MANAGER.kubeletStatus);
  }

  private startPod(pod: Pod): void {
    const node = getOf(this.ctx.store, GR.nodes, undefined, pod.spec?.nodeName ?? '');
    if (!node) return;
    const crashes = pod.metadata.annotations?.[SIM_ANNOTATIONS.crash] === 'true';
    // Settling a scenario runs a Job pod to completion (or a crashing container to its first
    // exit) in one instant of a frozen clock; date its start back by its run time so the settled
    // run lasted a while (and wrote logs).
    const ranMs = !this.immediate ? 0 : isJobPod(pod) ? runSeconds(pod) * 1000 : crashes ? CRASH_AFTER_MS : 0;
    const now = rfc3339(new Date(this.now().getTime() - ranMs));
    const hostIP = nodeInternalIP(node);
    const podIP = pod.spec?.hostNetwork ? hostIP : this.allocatePodIP(node, pod);
    this.write(pod, (copy) => {
      if (copy.status?.startTime && copy.status.phase !== 'Pending') return false;
      copy.status ??= {};
      const status = copy.status;
      const spec = copy.spec!;
      status.phase = 'Running';
      status.hostIP = hostIP;
      status.hostIPs = [{ ip: hostIP }];
      status.podIP = podIP;
      status.podIPs = [{ ip: podIP }];
      status.startTime ??= now;
      status.initContainerStatuses = (spec.initContainers ?? []).map((c) => {
        const containerID = this.containerID();
        return {
          name: c.name,
          image: c.image!,
          imageID: imageID(c.image),
          containerID,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID } },
          lastState: {},
          ready: true,
          restartCount: 0,
          started: false,
        };
      });
      if (status.initContainerStatuses.length === 0) delete status.initContainerStatuses;
      status.containerStatuses = (spec.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image!,
        imageID: imageID(c.image),
        containerID: this.containerID(),
        state: { running: { startedAt: now } },
        lastState: {},
        ready: !crashes && (this.immediate || readinessDelay(c) === 0),
        restartCount: 0,
        started: true,
      }));
      setPodConditions(copy, now);
      return true;
    });
  }

  private readiness(pod: Pod): void {
    const statuses = pod.status?.containerStatuses ?? [];
    const unready = statuses.filter((s) => !s.ready && s.state?.running);
    if (unready.length === 0) return;
    const containers = pod.spec?.containers ?? [];
    let wait = 0;
    for (const s of unready) {
      const c = containers.find((x) => x.name === s.name);
      const readyAt = Date.parse(s.state?.running?.startedAt ?? '') + readinessDelay(c) * 1000;
      wait = Math.max(wait, readyAt - this.now().getTime());
    }
    if (!this.due(pod, 'ready', wait)) return;
    const now = rfc3339(this.now());
    this.write(pod, (copy) => {
      for (const s of copy.status!.containerStatuses ?? []) if (s.state?.running) s.ready = true;
      setPodConditions(copy, now);
      return true;
    });
  }

  /**
   * A run-to-completion pod: its containers run `run-seconds`, then exit with the annotated
   * code. restartPolicy OnFailure restarts a failed container in place, after back-off.
   */
  private runToCompletion(pod: Pod): void {
    const statuses = pod.status?.containerStatuses ?? [];
    if (statuses.some((s) => s.state?.waiting)) {
      const restarts = Math.max(0, ...statuses.map((s) => s.restartCount ?? 0));
      if (this.due(pod, 'restart', backoffSeconds(restarts) * 1000)) this.restart(pod);
      return;
    }
    const started = Math.min(
      ...statuses.map((s) => Date.parse(s.state?.running?.startedAt ?? '')).filter((t) => !Number.isNaN(t)),
      Date.parse(pod.status?.startTime ?? ''),
    );
    const elapsedSimMs = (this.now().getTime() - started) * this.ctx.clock.speed;
    if (!this.due(pod, 'finish', Math.max(0, runSeconds(pod) * 1000 - elapsedSimMs))) return;
    const exitCode = exitCodeOf(pod);
    if (exitCode !== 0 && pod.spec?.restartPolicy === 'OnFailure') this.crash(pod, exitCode);
    else this.finish(pod);
  }

  private crashLoop(pod: Pod): void {
    const statuses = pod.status?.containerStatuses ?? [];
    const running = statuses.some((s) => s.state?.running);
    if (running) {
      if (this.due(pod, 'crash', CRASH_AFTER_MS)) this.crash(pod);
      return;
    }
    const restarts = Math.max(0, ...statuses.map((s) => s.restartCount ?? 0));
    if (this.due(pod, 'restart', backoffSeconds(restarts) * 1000)) this.restart(pod);
  }

  private crash(pod: Pod, exitCode = 1): void {
    const now = rfc3339(this.now());
    const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    for (const s of pod.status?.containerStatuses ?? []) {
      if (!s.state?.running) continue;
      recordEvent(this.ctx.store, pod, 'v1', 'Pod', 'Warning', 'BackOff', `Back-off restarting failed container ${s.name} in pod ${podRef}`, 'kubelet', this.now(), {
        fieldPath: `spec.containers{${s.name}}`,
        aggregate: true,
      });
    }
    this.write(pod, (copy) => {
      for (const s of copy.status!.containerStatuses ?? []) {
        if (!s.state?.running) continue;
        const backoff = formatGoDuration(backoffSeconds(s.restartCount ?? 0));
        s.lastState = {
          terminated: { exitCode, reason: 'Error', startedAt: s.state.running.startedAt, finishedAt: now, containerID: s.containerID },
        };
        s.state = {
          waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backoff} restarting failed container=${s.name} pod=${podRef}` },
        };
        s.ready = false;
        s.started = false;
      }
      setPodConditions(copy, now);
      return true;
    });
  }

  private restart(pod: Pod): void {
    const now = rfc3339(this.now());
    this.write(pod, (copy) => {
      for (const s of copy.status!.containerStatuses ?? []) {
        if (!s.state?.waiting) continue;
        s.restartCount = (s.restartCount ?? 0) + 1;
        s.containerID = this.containerID();
        s.state = { running: { startedAt: now } };
        s.started = true;
        s.ready = readinessDelay((copy.spec!.containers ?? []).find((c) => c.name === s.name)) === 0;
      }
      setPodConditions(copy, now);
      return true;
    });
  }

  /** A Job pod's containers exit: 0 (Completed) or the annotated exit code (Error). */
  private finish(pod: Pod): void {
    const now = rfc3339(this.now());
    const exitCode = exitCodeOf(pod);
    this.write(pod, (copy) => {
      const status = copy.status!;
      for (const s of status.containerStatuses ?? []) {
        const startedAt = s.state?.running?.startedAt ?? now;
        s.state = {
          terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt: now, containerID: s.containerID },
        };
        s.ready = false;
        s.started = false;
      }
      status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
      setPodConditions(copy, now);
      return true;
    });
  }

  /** Graceful deletion: containers stop (not ready), then the pod object is removed. */
  private terminate(pod: Pod): void {
    const statuses = pod.status?.containerStatuses ?? [];
    if (statuses.some((s) => s.ready)) {
      const now = rfc3339(this.now());
      this.write(pod, (copy) => {
        for (const s of copy.status!.containerStatuses ?? []) s.ready = false;
        setPodConditions(copy, now);
        return true;
      });
    }
    const grace = pod.metadata.deletionGracePeriodSeconds ?? 30;
    if (!this.due(pod, 'remove', Math.min(grace * 1000, TERMINATION_MS))) return;
    deleteIfPresent(this.ctx.store, GR.pods, pod.metadata.namespace, pod.metadata.name ?? '', {
      gracePeriodSeconds: 0,
      fieldManager: 'kubelet',
    });
  }

  /** The lowest free address of the node's podCIDR (from .2; .1 is the bridge). */
  private allocatePodIP(node: Node, pod: Pod): string {
    const cidr = node.spec?.podCIDR ?? '10.244.0.0/24';
    const [base] = cidr.split('/');
    const octets = base.split('.').map(Number);
    const used = new Set<string>();
    for (const p of this.index.podsOnNode(node.metadata.name ?? '')) {
      if (p.metadata.uid !== pod.metadata.uid && p.status?.podIP) used.add(p.status.podIP);
    }
    for (let host = 2; host < 65_535; host++) {
      const ip = `${octets[0]}.${octets[1]}.${octets[2] + Math.floor(host / 256)}.${host % 256}`;
      if (host % 256 !== 0 && host % 256 !== 255 && !used.has(ip)) return ip;
    }
    return `${octets[0]}.${octets[1]}.${octets[2]}.2`;
  }

  private containerID(): string {
    let hex = '';
    while (hex.length < 64) hex += Math.floor(this.ctx.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
    return `containerd://${hex.slice(0, 64)}`;
  }
}

/** Pods that are not yet, or no longer, in a steady Running-and-Ready state. */
function needsWork(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp) return true;
  if (isPodTerminal(pod)) return false;
  if (pod.status?.phase !== 'Running') return true;
  if (isJobPod(pod) || pod.metadata.annotations?.[SIM_ANNOTATIONS.crash] === 'true') return true;
  return (pod.status?.containerStatuses ?? []).some((s) => !s.ready);
}

function isJobPod(pod: Pod): boolean {
  return controllerOf(pod)?.kind === 'Job' || pod.metadata.annotations?.[SIM_ANNOTATIONS.runSeconds] !== undefined;
}

function runSeconds(pod: Pod): number {
  const n = Number(pod.metadata.annotations?.[SIM_ANNOTATIONS.runSeconds]);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_RUN_SECONDS;
}

function exitCodeOf(pod: Pod): number {
  return Number.parseInt(pod.metadata.annotations?.[SIM_ANNOTATIONS.exitCode] ?? '0', 10) || 0;
}

function readinessDelay(container: Container | undefined): number {
  return container?.readinessProbe ? (container.readinessProbe.initialDelaySeconds ?? 0) : 0;
}

/** Back-off before restart number `restarts + 1`: 10 s, 20 s, 40 s ... capped at 5 min. */
export function backoffSeconds(restarts: number): number {
  return Math.min(BACKOFF_INITIAL_S * 2 ** Math.min(restarts, 16), BACKOFF_MAX_S);
}

function nodeInternalIP(node: Node): string {
  const addresses = node.status?.addresses ?? [];
  return addresses.find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
}

/** A stable digest per image reference, qualified like containerd reports it. */
export function imageID(image: string | undefined): string {
  const ref = image ?? '';
  const name = ref.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  const first = name.split('/')[0];
  const qualified = !name.includes('/')
    ? `docker.io/library/${name}`
    : first.includes('.') || first.includes(':') || first === 'localhost'
      ? name
      : `docker.io/${name}`;
  return `${qualified}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
}

/**
 * The pod conditions the kubelet owns (pkg/kubelet/status/generate.go), keeping
 * transition times of unchanged conditions and the scheduler's PodScheduled.
 */
function setPodConditions(pod: Pod, now: string): void {
  const status: PodStatus = pod.status!;
  const statuses = status.containerStatuses ?? [];
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const allReady = !terminal && unready.length === 0 && statuses.length > 0;
  const notReady = terminal
    ? { reason: 'PodCompleted' }
    : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const wanted: PodCondition[] = [
    { type: 'PodReadyToStartContainers', status: terminal ? 'False' : 'True' },
    { type: 'Initialized', status: 'True', ...(terminal && status.phase === 'Succeeded' ? { reason: 'PodCompleted' } : {}) },
    { type: 'Ready', status: allReady ? 'True' : 'False', ...(allReady ? {} : notReady) },
    { type: 'ContainersReady', status: allReady ? 'True' : 'False', ...(allReady ? {} : notReady) },
  ];
  const current = status.conditions ?? [];
  const scheduled = current.find((c) => c.type === 'PodScheduled') ?? {
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: NULL_TIME,
    lastTransitionTime: now,
  };
  status.conditions = [
    ...wanted.map((c) => {
      const old = current.find((o) => o.type === c.type);
      return { ...c, lastProbeTime: NULL_TIME, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
    }),
    scheduled,
  ];
}
