/**
 * Port-forwards as k9s offers them (Shift-F on a pod, service or workload; `:pf` lists them),
 * run by `kubectl port-forward`: which ports an object offers, kubectl's arguments, what its
 * output says, and the `:pf` table. Pure.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Container, DaemonSet, Deployment, Pod, Service, StatefulSet } from '@daytwo/k8s/wire-types.js';
import { formatAge } from './format.js';
import type { ObjectRef } from './object-ref.js';
import type { ColumnDef } from './table.js';

/** The kinds kubectl port-forward takes (TYPE/NAME) and k9s offers Shift-F on. */
const FORWARDABLE: Readonly<Record<string, string>> = {
  'v1/Pod': 'pod',
  'v1/Service': 'service',
  'apps/v1/Deployment': 'deployment',
  'apps/v1/StatefulSet': 'statefulset',
  'apps/v1/DaemonSet': 'daemonset',
};

/** kubectl port-forward's TYPE/NAME of the object (`pod/web-1`, `service/web`), or undefined for other kinds. */
export function forwardTarget(ref: Pick<ObjectRef, 'apiVersion' | 'kind' | 'name'> | undefined): string | undefined {
  if (!ref) return undefined;
  const type = FORWARDABLE[`${ref.apiVersion}/${ref.kind}`];
  return type ? `${type}/${ref.name}` : undefined;
}

/** A port of the object that can be forwarded: the remote port kubectl is given, and how the dialog names it. */
export interface ForwardablePort {
  /** `container::port` (k9s's spec) for pods and workloads, `port (name → targetPort)` for a service. */
  readonly label: string;
  /** The port kubectl forwards to: a container port, or a service port (kubectl maps it to the target port). */
  readonly port: number;
  readonly container?: string;
}

/** TCP ports only: kubectl port-forward forwards TCP (k9s skips the others too). */
const isTcp = (protocol: string | undefined) => (protocol ?? 'TCP') === 'TCP';

function containerPorts(containers: readonly Container[] | undefined): ForwardablePort[] {
  return (containers ?? []).flatMap((c) =>
    (c.ports ?? []).filter((p) => isTcp(p.protocol)).map((p) => ({ label: `${c.name}::${p.containerPort}`, port: p.containerPort, container: c.name })),
  );
}

/**
 * The ports the Shift-F dialog offers: a pod's (or a workload's pod template's) TCP container
 * ports, as k9s lists them; a service's TCP ports, which kubectl forwards to their target port
 * on one of its pods.
 */
export function forwardablePorts(obj: KubeObject): ForwardablePort[] {
  switch (obj.kind) {
    case 'Pod':
      return containerPorts((obj as Pod).spec?.containers);
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return containerPorts((obj as Deployment | StatefulSet | DaemonSet).spec?.template?.spec?.containers);
    case 'Service':
      return ((obj as Service).spec?.ports ?? [])
        .filter((p) => isTcp(p.protocol))
        .map((p) => ({ label: `${p.port}${p.name ? ` ${p.name}` : ''} → ${p.targetPort ?? p.port}`, port: p.port }));
    default:
      return [];
  }
}

/** What a user asks for: forward `localPort` (undefined: any free port, kubectl's `:REMOTE`) to `remotePort` of `target`. */
export interface PortForwardRequest {
  readonly ref: ObjectRef;
  readonly remotePort: number;
  readonly localPort?: number;
  readonly container?: string;
  /** kubectl's `--address`; `localhost` (its default) binds 127.0.0.1 and ::1 only. */
  readonly address: string;
}

export const DEFAULT_FORWARD_ADDRESS = 'localhost';

/** `LOCAL:REMOTE`, or `:REMOTE` for a local port kubectl picks. */
export function portPair(request: Pick<PortForwardRequest, 'localPort' | 'remotePort'>): string {
  return `${request.localPort ?? ''}:${request.remotePort}`;
}

/** `port-forward -n NS TYPE/NAME LOCAL:REMOTE --address A --kubeconfig F --context C`, as shell.ts passes the session's context. */
export function kubectlPortForwardArgs(request: PortForwardRequest, kubeconfig: string, context: string): string[] {
  const target = forwardTarget(request.ref);
  if (!target || !request.ref.namespace) throw new Error(`cannot port-forward to ${request.ref.kind} ${request.ref.name}`);
  return [
    'port-forward',
    '-n',
    request.ref.namespace,
    target,
    portPair(request),
    '--address',
    request.address,
    '--kubeconfig',
    kubeconfig,
    '--context',
    context,
  ];
}

/** A `Forwarding from 127.0.0.1:8080 -> 80` line of kubectl (client-go's portforward), parsed. */
export function parseForwardingLine(line: string): { readonly listen: string; readonly localPort: number; readonly remotePort: number } | undefined {
  const m = /^Forwarding from (.+):(\d+) -> (\d+)$/.exec(line.trim());
  return m ? { listen: `${m[1]}:${m[2]}`, localPort: Number(m[2]), remotePort: Number(m[3]) } : undefined;
}

/** starting: kubectl runs, not listening yet; forwarding: it listens; ended: it exited by itself (see lastError). */
export type PortForwardState = 'starting' | 'forwarding' | 'ended';

/** One port-forward of the session, as `:pf` lists it. */
export interface PortForwardEntry {
  readonly id: string;
  readonly ref: ObjectRef;
  readonly container?: string;
  readonly remotePort: number;
  /** The port asked for, or the one kubectl picked once it listens. */
  readonly localPort?: number;
  readonly address: string;
  /** What kubectl listens on (`127.0.0.1:8080`, `[::1]:8080`). */
  readonly listening: readonly string[];
  readonly state: PortForwardState;
  /** When it was started (ms since the epoch). */
  readonly startedAt: number;
  /** kubectl's last line on stderr, or how it exited. */
  readonly lastError?: string;
}

/** The id of a port-forward: the same ports of the same object once at a time (k9s refuses a second). */
export function portForwardId(request: PortForwardRequest): string {
  return `${request.ref.namespace}/${forwardTarget(request.ref)}/${portPair(request)}@${request.address}`;
}

export function portForwardColumns(now: number): readonly ColumnDef<PortForwardEntry>[] {
  return [
    { id: 'namespace', header: 'NAMESPACE', value: (e) => e.ref.namespace ?? '' },
    { id: 'target', header: 'TARGET', value: (e) => forwardTarget(e.ref) ?? e.ref.name, flex: true, pinned: true },
    { id: 'container', header: 'CONTAINER', value: (e) => e.container ?? '' },
    { id: 'ports', header: 'PORTS', value: (e) => `${e.localPort ?? '?'}:${e.remotePort}` },
    { id: 'address', header: 'ADDRESS', value: (e) => e.address },
    { id: 'state', header: 'STATE', value: (e) => e.state },
    { id: 'age', header: 'AGE', value: (e) => formatAge(new Date(e.startedAt), now), sortValue: (e) => -e.startedAt },
    { id: 'error', header: 'LAST ERROR', value: (e) => e.lastError ?? '', flex: true },
  ];
}
