/** `kubectl describe node` (describeNode, describeNodeResource), without the Lease and ResourceSlices sections. */
import { type AmountArithmetic, podResourceTotal } from '@daytwo/k8s/pod-requests.js';
import { addQuantities, compareQuantities, formatQuantity, type Quantity, tryParseQuantity } from '@daytwo/k8s/quantity.js';
import type { CoreEvent, Node, Pod } from '@daytwo/k8s/wire-types.js';
import { formatAge } from '../format.js';
import { eventsBlock } from './events.js';
import { annotationsBlock, type DescribeWriter, labelsBlock, quantityText, rfc1123z, taintsBlock } from './writer.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** Sums keeping each quantity's format, as upstream `Quantity.Add` does. */
const QUANTITIES: AmountArithmetic<Quantity> = {
  parse: (v) => tryParseQuantity(v as string | number),
  add: addQuantities,
  greater: (a, b) => compareQuantities(a, b) > 0,
};

/** `findNodeRoles`: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

/** The pods on the node that have not finished; undefined when the user may not list pods (`Pods: not authorized`). */
export function describeNode(w: DescribeWriter, node: Node, pods: readonly Pod[] | undefined, events: readonly CoreEvent[] | undefined, now: number): void {
  const spec: NonNullable<Node['spec']> = node.spec ?? {};
  const status: NonNullable<Node['status']> = node.status ?? {};
  w.line(0, `Name:\t${node.metadata?.name ?? ''}`);
  const roles = nodeRoles(node.metadata?.labels);
  w.line(0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}`);
  labelsBlock(w, 'Labels', node.metadata?.labels);
  annotationsBlock(w, node.metadata?.annotations);
  w.line(0, `CreationTimestamp:\t${rfc1123z(node.metadata?.creationTimestamp)}`);
  taintsBlock(w, spec.taints);
  w.line(0, `Unschedulable:\t${spec.unschedulable === true}`);
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    w.line(0, 'Conditions:');
    w.line(0, '  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage');
    w.line(1, '----\t------\t-----------------\t------------------\t------\t-------');
    for (const c of conditions) {
      w.line(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}`);
    }
  }
  w.line(0, 'Addresses:');
  for (const a of status.addresses ?? []) w.line(1, `${a.type}:\t${a.address}`);
  for (const [title, list] of [
    ['Capacity', status.capacity],
    ['Allocatable', status.allocatable],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    w.line(0, `${title}:`);
    for (const n of names) w.line(0, `  ${n}:\t${quantityText(list?.[n])}`);
  }
  const info: Partial<NonNullable<Node['status']>['nodeInfo']> = status.nodeInfo ?? {};
  w.line(0, 'System Info:');
  for (const [label, field] of [
    ['Machine ID', 'machineID'],
    ['System UUID', 'systemUUID'],
    ['Boot ID', 'bootID'],
    ['Kernel Version', 'kernelVersion'],
    ['OS Image', 'osImage'],
    ['Operating System', 'operatingSystem'],
    ['Architecture', 'architecture'],
    ['Container Runtime Version', 'containerRuntimeVersion'],
    ['Kubelet Version', 'kubeletVersion'],
  ] as const) {
    w.line(0, `  ${label}:\t${info[field] ?? ''}`);
  }
  if (spec.podCIDR) w.line(0, `PodCIDR:\t${spec.podCIDR}`);
  const podCIDRs = spec.podCIDRs ?? [];
  if (podCIDRs.length > 0) w.line(0, `PodCIDRs:\t${podCIDRs.join(',')}`);
  if (spec.providerID) w.line(0, `ProviderID:\t${spec.providerID}`);
  if (pods) nodeResources(w, node, pods, now);
  else w.line(0, 'Pods:\tnot authorized');
  eventsBlock(w, events, now);
}

function nodeResources(w: DescribeWriter, node: Node, pods: readonly Pod[], now: number): void {
  const allocatable: Record<string, string> = Object.keys(node.status?.allocatable ?? {}).length > 0 ? (node.status?.allocatable ?? {}) : (node.status?.capacity ?? {});
  const alloc = (name: string) => tryParseQuantity(allocatable[name]);
  const share = (q: Quantity | undefined, name: string, milli: boolean) => {
    const total = alloc(name);
    const denominator = total ? Number(milli ? total.toMillis() : total.toUnits()) : 0;
    const value = q ? Number(milli ? q.toMillis() : q.toUnits()) : 0;
    // Go divides floats: 0/0 is NaN and int64(NaN) is the minimum int64 on amd64; nodes report allocatable, so that stays theoretical.
    return denominator === 0 ? 0 : Math.trunc((value / denominator) * 100);
  };
  const text = (q: Quantity | undefined) => (q ? formatQuantity(q) : '0');
  w.line(0, `Non-terminated Pods:\t(${pods.length} in total)`);
  w.line(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge');
  w.line(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---');
  const totals = { requests: new Map<string, Quantity>(), limits: new Map<string, Quantity>() };
  for (const pod of pods) {
    const req = podResourceTotal(pod, 'requests', QUANTITIES);
    const lim = podResourceTotal(pod, 'limits', QUANTITIES);
    for (const [which, amounts] of [
      ['requests', req],
      ['limits', lim],
    ] as const) {
      for (const [k, v] of amounts) {
        const prev = totals[which].get(k);
        totals[which].set(k, prev ? addQuantities(prev, v) : v);
      }
    }
    const cells = [
      `${text(req.get('cpu'))} (${share(req.get('cpu'), 'cpu', true)}%)`,
      `${text(lim.get('cpu'))} (${share(lim.get('cpu'), 'cpu', true)}%)`,
      `${text(req.get('memory'))} (${share(req.get('memory'), 'memory', false)}%)`,
      `${text(lim.get('memory'))} (${share(lim.get('memory'), 'memory', false)}%)`,
    ];
    w.line(1, `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t${cells.join('\t')}\t${formatAge(pod.metadata?.creationTimestamp, now)}`);
  }
  w.line(0, 'Allocated resources:');
  w.line(0, '  (Total limits may be over 100 percent, i.e., overcommitted.)');
  w.line(1, 'Resource\tRequests\tLimits');
  w.line(1, '--------\t--------\t------');
  for (const [name, milli] of [
    ['cpu', true],
    ['memory', false],
    ['ephemeral-storage', false],
  ] as const) {
    const r = totals.requests.get(name);
    const l = totals.limits.get(name);
    w.line(1, `${name}\t${text(r)} (${share(r, name, milli)}%)\t${text(l)} (${share(l, name, milli)}%)`);
  }
}
