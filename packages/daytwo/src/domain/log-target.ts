/**
 * What a log stream follows: one pod, a workload's pods, or the pods a label selector picks.
 * Parsing (view params, `:logs` arguments, `daytwo logs TARGET`) and resolving a target to
 * pods are pure, so the console and the CLI agree on which pods a target means.
 */
import type { PodRecord } from '@daytwo/k8s/compact.js';
import { labelSelectorMatches, parseSelector, requirementsMatch, SelectorParseError } from '@daytwo/k8s/label-selector.js';
import type { DaemonSet, Deployment, Job, StatefulSet } from '@daytwo/k8s/wire-types.js';

/** Workload kinds whose pods a log stream can follow. */
export const LOG_WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'] as const;
export type LogWorkloadKind = (typeof LOG_WORKLOAD_KINDS)[number];

/** One pod; `container` narrows the stream to one of its containers. */
export interface PodLogTarget {
  readonly type: 'pod';
  readonly namespace: string;
  readonly name: string;
  readonly container?: string;
}

/** Every pod of a workload, followed as they come and go; `container` narrows each pod to one container. */
export interface WorkloadLogTarget {
  readonly type: 'workload';
  readonly kind: LogWorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly container?: string;
}

/** The pods a label selector picks, in one namespace or (namespace undefined) all; `container` as for a workload. */
export interface SelectorLogTarget {
  readonly type: 'selector';
  readonly namespace?: string;
  readonly selector: string;
  readonly container?: string;
}

export type LogTarget = PodLogTarget | WorkloadLogTarget | SelectorLogTarget;

/** A target that could not be parsed; the message is one line fit for the status line. */
export class LogTargetError extends Error {
  override name = 'LogTargetError';
}

/** The store key of a workload kind. */
const WORKLOAD_STORE_KEY = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
} as const satisfies Record<LogWorkloadKind, string>;

/** The store kinds a target needs watched (pods, plus its workload's kind). */
export function targetKinds(target: LogTarget): ('pods' | (typeof WORKLOAD_STORE_KEY)[LogWorkloadKind])[] {
  return target.type === 'workload' ? ['pods', WORKLOAD_STORE_KEY[target.kind]] : ['pods'];
}

/** A short label: `pod/shop/web-1`, `deployment/shop/web`, `selector app=web (all namespaces)`. */
export function describeTarget(target: LogTarget): string {
  const container = target.container ? ` -c ${target.container}` : '';
  switch (target.type) {
    case 'pod':
      return `pod/${target.namespace}/${target.name}${container}`;
    case 'workload':
      return `${target.kind.toLowerCase()}/${target.namespace}/${target.name}${container}`;
    case 'selector':
      return `selector ${target.selector || '(everything)'} ${target.namespace ? `in ${target.namespace}` : '(all namespaces)'}${container}`;
  }
}

/** The same target without its container (the Logs view picks the container itself). */
export function withoutContainer(target: LogTarget): LogTarget {
  if (target.container === undefined) return target;
  const { container: _container, ...rest } = target;
  return rest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * Validates the params another view passes to `openView('logs', params)`:
 * `{ namespace, name, container? }` (a pod), `{ kind, namespace, name }` (a workload),
 * `{ namespace?, selector }`, or the same wrapped as `{ pod }`, `{ workload }`, `{ selector }`.
 * Throws {@link LogTargetError}.
 */
export function parseLogTarget(params: unknown): LogTarget {
  if (!isRecord(params)) throw new LogTargetError('no log target: open the logs from a pod or a workload, or type :logs <selector>');
  if (isRecord(params.pod)) return parseLogTarget(params.pod);
  if (isRecord(params.workload)) return parseLogTarget(params.workload);
  if (isRecord(params.selector)) return parseLogTarget(params.selector);
  const container = nonEmpty(params.container) ? { container: params.container } : {};
  if (typeof params.selector === 'string') {
    checkSelector(params.selector);
    return { type: 'selector', selector: params.selector, ...(nonEmpty(params.namespace) ? { namespace: params.namespace } : {}), ...container };
  }
  if (!nonEmpty(params.namespace) || !nonEmpty(params.name)) {
    throw new LogTargetError('log target needs a namespace and a name (or a selector)');
  }
  if (params.kind !== undefined && params.kind !== 'Pod') {
    const kind = LOG_WORKLOAD_KINDS.find((k) => k === params.kind);
    if (!kind) throw new LogTargetError(`cannot show logs of a ${String(params.kind)} (kinds: Pod, ${LOG_WORKLOAD_KINDS.join(', ')})`);
    return { type: 'workload', kind, namespace: params.namespace, name: params.name, ...container };
  }
  return { type: 'pod', namespace: params.namespace, name: params.name, ...container };
}

function checkSelector(selector: string): void {
  try {
    parseSelector(selector);
  } catch (err) {
    if (err instanceof SelectorParseError) throw new LogTargetError(`bad selector "${selector}": ${err.message}`);
    throw err;
  }
}

/** kubectl's names for the resource types `daytwo logs TYPE/NAME` accepts. */
const TYPE_NAMES: Readonly<Record<string, 'Pod' | LogWorkloadKind>> = {
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  'deployment.apps': 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  'statefulset.apps': 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  'daemonset.apps': 'DaemonSet',
  job: 'Job',
  jobs: 'Job',
  'job.batch': 'Job',
};

/**
 * Parses `daytwo logs` arguments: `TARGET` (`name`, `pod/name`, `deployment/name`,
 * `statefulset/name`, `daemonset/name`, `job/name`, with kubectl's short names) or a
 * selector (`-l`), never both; `-c` narrows any of them to one container, as kubectl's
 * `kubectl logs deployment/web -c app` and `kubectl logs -l app=web -c app` do.
 * Throws {@link LogTargetError}.
 */
export function parseTargetArgs(args: {
  readonly target?: string;
  readonly selector?: string;
  readonly container?: string;
  /** `-n`, else the context's namespace; undefined means `default`. */
  readonly namespace?: string;
  /** `-A`: a selector's pods in every namespace. */
  readonly allNamespaces?: boolean;
}): LogTarget {
  const { target, selector } = args;
  const container = args.container ? { container: args.container } : {};
  const namespace = args.namespace ?? 'default';
  if (target !== undefined && selector !== undefined) throw new LogTargetError('give either TARGET or -l SELECTOR, not both');
  if (selector !== undefined) {
    checkSelector(selector);
    return { type: 'selector', selector, ...(args.allNamespaces ? {} : { namespace }), ...container };
  }
  if (target === undefined || target === '') throw new LogTargetError('a TARGET (pod/NAME, deployment/NAME, ...) or -l SELECTOR is required');
  if (args.allNamespaces) throw new LogTargetError('-A (all namespaces) applies to -l SELECTOR, not to a TARGET');
  const named = parseNamedTarget(target, namespace);
  return { ...named, ...container };
}

/** `name`, `pod/name` or `TYPE/name` in `namespace`, without a container. */
function parseNamedTarget(target: string, namespace: string): PodLogTarget | WorkloadLogTarget {
  const slash = target.indexOf('/');
  const typeName = slash < 0 ? 'pod' : target.slice(0, slash).toLowerCase();
  const name = slash < 0 ? target : target.slice(slash + 1);
  const kind = TYPE_NAMES[typeName];
  if (!kind) {
    throw new LogTargetError(`cannot show logs of "${typeName}" (types: pod, deployment, statefulset, daemonset, job)`);
  }
  if (name === '' || name.includes('/')) throw new LogTargetError(`bad TARGET "${target}": expected TYPE/NAME or a pod name`);
  return kind === 'Pod' ? { type: 'pod', namespace, name } : { type: 'workload', kind, namespace, name };
}

/** `-n NS`, `--namespace[=]NS`, `-A`, `--all-namespaces`, `-c NAME`, `--container[=]NAME` as whole words. */
const COMMAND_OPTION = /(^|\s)(?:(-n|--namespace|-c|--container)(?:=|\s+)(\S+)|(-A|--all-namespaces))(?=\s|$)/g;

/**
 * Parses the argument of `:logs`: `TYPE/NAME` (as `daytwo logs` takes it: `job/db-migrate`,
 * `deploy/web`, `pod/web-1`) or a label selector, with `-n NAMESPACE` or `-A` and `-c
 * CONTAINER` anywhere (label keys and values cannot start with `-`, so these never clash
 * with a selector). The namespace defaults to the console's scope; a named target needs
 * one. Throws {@link LogTargetError}.
 */
export function parseLogsCommand(args: string, scope: string | undefined): LogTarget {
  let namespace = scope;
  let allNamespaces = false;
  let container: string | undefined;
  const rest = args
    .replace(COMMAND_OPTION, (_all, lead: string, flag: string | undefined, value: string | undefined) => {
      if (flag === '-n' || flag === '--namespace') namespace = value;
      else if (flag === '-c' || flag === '--container') container = value;
      else allNamespaces = true;
      return lead;
    })
    .trim();
  const withContainer = container ? { container } : {};
  // `job/db-migrate` names a Job; `app.kubernetes.io/name=web` (a prefixed label key) stays a selector.
  if (/^[A-Za-z.]+\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(rest) && TYPE_NAMES[rest.slice(0, rest.indexOf('/')).toLowerCase()]) {
    if (allNamespaces) throw new LogTargetError(`-A applies to a selector: :logs ${rest} -n NAMESPACE`);
    if (!namespace) throw new LogTargetError(`which namespace? :logs ${rest} -n NAMESPACE (or scope the console with :ns NAME)`);
    return { ...parseNamedTarget(rest, namespace), ...withContainer };
  }
  // `cronjob/x`, `svc/x`: a type daytwo cannot show. (A prefixed label key has a dotted prefix.)
  const unknownType = /^([a-z]+)\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.exec(rest);
  if (unknownType) throw new LogTargetError(`cannot show logs of "${unknownType[1]}" (types: pod, deployment, statefulset, daemonset, job)`);
  checkSelector(rest);
  return { type: 'selector', selector: rest, ...(namespace && !allNamespaces ? { namespace } : {}), ...withContainer };
}

/** kubectl's AllContainerNames: containers, then ephemeral ones `(ephem)`, then init ones `(init)`. */
function allContainerNames(pod: PodRecord): string {
  const names = (list: readonly { name: string }[] | undefined, mark = '') => (list ?? []).map((c) => `${c.name}${mark}`);
  return [...names(pod.spec?.containers), ...names(pod.spec?.ephemeralContainers, ' (ephem)'), ...names(pod.spec?.initContainers, ' (init)')].join(', ');
}

/**
 * kubectl's refusal of a container a pod does not have, for the first such pod:
 * `container nope is not valid for pod web-1 out of: app, sidecar, setup (init)`.
 */
export function invalidContainer(pods: readonly PodRecord[], container: string): string | undefined {
  for (const pod of pods) {
    const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
    if (!all.some((c) => c.name === container)) return `container ${container} is not valid for pod ${pod.metadata.name} out of: ${allContainerNames(pod)}`;
  }
  return undefined;
}

/** The objects a target is resolved against: the store's maps by `namespace/name`. */
export interface LogTargetObjects {
  readonly pods: ReadonlyMap<string, PodRecord>;
  readonly deployments?: ReadonlyMap<string, Deployment>;
  readonly statefulsets?: ReadonlyMap<string, StatefulSet>;
  readonly daemonsets?: ReadonlyMap<string, DaemonSet>;
  readonly jobs?: ReadonlyMap<string, Job>;
}

/** The pods a target means right now, sorted by namespace/name; empty when its workload is not (yet) known. */
export function podsOfTarget(target: LogTarget, objects: LogTargetObjects): PodRecord[] {
  const out: PodRecord[] = [];
  switch (target.type) {
    case 'pod': {
      const pod = objects.pods.get(`${target.namespace}/${target.name}`);
      if (pod) out.push(pod);
      break;
    }
    case 'selector': {
      const requirements = parseSelector(target.selector);
      for (const pod of objects.pods.values()) {
        if (target.namespace && pod.metadata.namespace !== target.namespace) continue;
        if (requirementsMatch(requirements, pod.metadata.labels)) out.push(pod);
      }
      break;
    }
    case 'workload': {
      const workload = objects[WORKLOAD_STORE_KEY[target.kind]]?.get(`${target.namespace}/${target.name}`);
      if (!workload) break;
      const selector = workload.spec?.selector;
      for (const pod of objects.pods.values()) {
        if (pod.metadata.namespace !== target.namespace) continue;
        // A Job created without a selector is matched by ownership (the API server defaults one).
        const matches = selector
          ? labelSelectorMatches(selector, pod.metadata.labels)
          : (pod.metadata.ownerReferences ?? []).some((r) => r.uid === workload.metadata.uid);
        if (matches) out.push(pod);
      }
      break;
    }
  }
  return out.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
}

/** kubectl's NotFound wording for a target: `pods "x" not found`, `deployments.apps "x" not found`. */
export function targetNotFound(target: LogTarget): string {
  if (target.type === 'pod') return `pods "${target.name}" not found`;
  if (target.type === 'workload') {
    const resource = { Deployment: 'deployments.apps', StatefulSet: 'statefulsets.apps', DaemonSet: 'daemonsets.apps', Job: 'jobs.batch' }[target.kind];
    return `${resource} "${target.name}" not found`;
  }
  return 'no pods';
}

/** Whether the target's workload (if any) is missing from `objects`: its pods cannot be known. */
export function targetMissing(target: LogTarget, objects: LogTargetObjects): boolean {
  if (target.type === 'selector') return false;
  if (target.type === 'pod') return !objects.pods.has(`${target.namespace}/${target.name}`);
  return !objects[WORKLOAD_STORE_KEY[target.kind]]?.has(`${target.namespace}/${target.name}`);
}

const GO_DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * `--since`: a Go duration (`time.ParseDuration`: `30s`, `5m`, `1h30m`, `1.5h`) as whole
 * seconds, rounded up as kubectl does (`math.Ceil(since / time.Second)`); undefined for 0.
 * Throws {@link LogTargetError}.
 */
export function parseSince(text: string): number | undefined {
  const bad = () => new LogTargetError(`invalid duration "${text}" for --since (e.g. 30s, 5m, 1h30m)`);
  if (text === '0') return undefined;
  if (!/^(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$/.test(text)) throw bad();
  let seconds = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) seconds += Number(m[1]) * GO_DURATION_UNITS[m[2]];
  return seconds > 0 ? Math.ceil(seconds - 1e-9) : undefined;
}
