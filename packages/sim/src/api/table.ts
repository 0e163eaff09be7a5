/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which
 * `kubectl get` asks for. Columns and cells follow the API server's printers
 * (pkg/printers/internalversion/printers.go) for the kinds a day-2 console looks at;
 * custom resources print their CRD's `additionalPrinterColumns` (apiextensions-apiserver's
 * tableconvertor), and every other kind the generic apiserver's default table (Name,
 * Created At), as kube-apiserver does for a registry without a printer.
 */

import { accessModesText } from '@daytwo/k8s/access-modes.js';
import { humanDuration as humanSeconds } from '@daytwo/k8s/human-duration.js';
import { type LabelSelector, labelSelectorString } from '@daytwo/k8s/label-selector.js';
import type {
  ClusterRoleBinding,
  ConfigMap,
  ContainerStatus,
  CoreEvent,
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Endpoints,
  Ingress,
  Job,
  Namespace,
  Node,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  PodStatus,
  ReplicaSet,
  RoleBinding,
  Secret,
  Service,
  StatefulSet,
  StorageClass,
} from '@daytwo/k8s/wire-types.js';
import { findJsonPath, parseJsonPath } from '../jsonpath.js';
import type { GroupResource, KubeObject, PrinterColumn, ResourceType } from '../types.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  description?: string;
}

type Cell = string | number | boolean | null;

/** How one resource's objects become table rows. */
export interface Printer {
  columns: Column[];
  cells(obj: KubeObject, now: number): Cell[];
}

/** The printer of one kind: the resource it is registered under says the kind, so its objects are narrowed here. */
function printerOf<T extends KubeObject>(printer: { columns: Column[]; cells(obj: T, now: number): Cell[] }): Printer {
  return { columns: printer.columns, cells: (obj, now) => printer.cells(obj as T, now) };
}

const NAME: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.' };
const AGE: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' };
const wide = (name: string, type: Column['type'] = 'string'): Column => ({ name, type, priority: 1 });
const col = (name: string, type: Column['type'] = 'string'): Column => ({ name, type });

/** duration.HumanDuration of k8s.io/apimachinery, for a duration in milliseconds. */
export function humanDuration(ms: number): string {
  return humanSeconds(ms / 1000);
}

/** translateTimestampSince: `<unknown>` without a timestamp. */
function since(ts: string | undefined, now: number): string {
  const t = ts ? Date.parse(ts) : Number.NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

const age = (obj: KubeObject, now: number) => since(obj.metadata.creationTimestamp, now);

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** metav1.FormatLabelSelector: `<none>` for an empty selector. */
function formatSelector(selector: LabelSelector | null | undefined): string {
  return labelSelectorString(selector) || '<none>';
}

function containerCells(containers: { name: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

function podStatus(pod: Pod, now: number): { ready: string; reason: string; restarts: string } {
  const status: PodStatus = pod.status ?? {};
  const containers = pod.spec?.containers ?? [];
  const initSpecs = new Map((pod.spec?.initContainers ?? []).map((c) => [c.name, c]));
  const isSidecar = (name: string) => initSpecs.get(name)?.restartPolicy === 'Always';
  let total = containers.length + [...initSpecs.values()].filter((c) => c.restartPolicy === 'Always').length;
  total = Math.max(total, 0);
  let readyCount = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const finished = (c: ContainerStatus) => Date.parse(c.lastState?.terminated?.finishedAt ?? '') || 0;
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finished(c));
    if (isSidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finished(c));
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) readyCount++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }
  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finished(c));
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  const restartText = restarts !== 0 && lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${readyCount}/${total}`, reason, restarts: restartText };
}

function nodeAddress(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

/** findNodeRoles: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`. */
function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return [...roles].sort().join(',') || '<none>';
}

function servicePorts(ports: { port: number; protocol?: string; nodePort?: number }[] | undefined): string {
  if (!ports?.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function serviceExternalIp(svc: Service): string {
  const external = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '');
      const all = [...new Set(ingress.filter(Boolean))].sort().concat(external);
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

const intOrString = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

/** printers.go formatEndpoints: `ip:port` for every address and port, the first three, then `+ N more...`. */
function formatEndpoints(ep: Endpoints): string {
  const all: string[] = [];
  for (const subset of ep.subsets ?? []) {
    const ports: { port: number }[] = subset.ports?.length ? subset.ports : [{ port: 0 }];
    for (const port of ports) for (const a of subset.addresses ?? []) all.push(port.port ? `${a.ip}:${port.port}` : a.ip);
  }
  return moreThanThree(all, '<none>');
}

/** helper.GetAccessModesAsString. */
const accessModes = accessModesText;

/** printers.go formatHosts: up to three hosts, `*` when none, `+ N more...` past them. */
function ingressHosts(rules: { host?: string }[]): string {
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === 3) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

/** ingressLoadBalancerStatusStringer without wide: sorted unique IPs or hostnames, cut to 16 characters. */
function ingressAddress(ingress: { ip?: string; hostname?: string }[]): string {
  const text = [...new Set(ingress.flatMap((i) => (i.ip ? [i.ip] : i.hostname ? [i.hostname] : [])))].sort().join(',');
  return text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

function moreThanThree(items: readonly string[], none: string): string {
  if (items.length === 0) return none;
  const shown = items.slice(0, 3).join(',');
  return items.length > 3 ? `${shown} + ${items.length - 3} more...` : shown;
}

function bindingSubjects(binding: RoleBinding | ClusterRoleBinding, kind: string): string {
  const names = (binding.subjects ?? [])
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name));
  return names.join(', ');
}

const createdAt = (obj: KubeObject) => obj.metadata.creationTimestamp ?? '';
const ROLE_PRINTER: Printer = { columns: [NAME, { ...col('Created At'), format: 'date' }], cells: (r) => [r.metadata.name ?? '', createdAt(r)] };
const BINDING_PRINTER = printerOf<RoleBinding | ClusterRoleBinding>({
  columns: [NAME, col('Role'), AGE, wide('Users'), wide('Groups'), wide('ServiceAccounts')],
  cells: (b, now) => [
    b.metadata.name ?? '',
    `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
    age(b, now),
    bindingSubjects(b, 'User'),
    bindingSubjects(b, 'Group'),
    bindingSubjects(b, 'ServiceAccount'),
  ],
});

const PRINTERS: Record<GroupResource, Printer> = {
  pods: printerOf<Pod>({
    columns: [NAME, col('Ready'), col('Status'), col('Restarts'), AGE, wide('IP'), wide('Node'), wide('Nominated Node'), wide('Readiness Gates')],
    cells(pod, now) {
      const { ready, reason, restarts } = podStatus(pod, now);
      const gates: { conditionType: string }[] = pod.spec?.readinessGates ?? [];
      const trueGates = gates.filter((g) => (pod.status?.conditions ?? []).find((c) => c.type === g.conditionType)?.status === 'True').length;
      return [
        pod.metadata.name ?? '',
        ready,
        reason,
        restarts,
        age(pod, now),
        pod.status?.podIPs?.[0]?.ip || '<none>',
        pod.spec?.nodeName || '<none>',
        pod.status?.nominatedNodeName || '<none>',
        gates.length ? `${trueGates}/${gates.length}` : '<none>',
      ];
    },
  }),
  nodes: printerOf<Node>({
    columns: [NAME, col('Status'), col('Roles'), AGE, col('Version'), wide('Internal-IP'), wide('External-IP'), wide('OS-Image'), wide('Kernel-Version'), wide('Container-Runtime')],
    cells(node, now) {
      const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
      const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
      if (node.spec?.unschedulable) status.push('SchedulingDisabled');
      const info = node.status?.nodeInfo;
      return [
        node.metadata.name ?? '',
        status.join(','),
        nodeRoles(node),
        age(node, now),
        info?.kubeletVersion ?? '',
        nodeAddress(node, 'InternalIP'),
        nodeAddress(node, 'ExternalIP'),
        info?.osImage || '<unknown>',
        info?.kernelVersion || '<unknown>',
        info?.containerRuntimeVersion || '<unknown>',
      ];
    },
  }),
  namespaces: printerOf<Namespace>({
    columns: [NAME, col('Status'), AGE],
    cells: (ns, now) => [ns.metadata.name ?? '', ns.status?.phase ?? '', age(ns, now)],
  }),
  configmaps: printerOf<ConfigMap>({
    columns: [NAME, col('Data', 'integer'), AGE],
    cells: (cm, now) => [cm.metadata.name ?? '', Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm, now)],
  }),
  secrets: printerOf<Secret>({
    columns: [NAME, col('Type'), col('Data'), AGE],
    cells: (s, now) => [s.metadata.name ?? '', s.type ?? '', Object.keys(s.data ?? {}).length, age(s, now)],
  }),
  services: printerOf<Service>({
    columns: [NAME, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), AGE, wide('Selector')],
    cells: (svc, now) => [
      svc.metadata.name ?? '',
      svc.spec?.type ?? 'ClusterIP',
      svc.spec?.clusterIP || '<none>',
      serviceExternalIp(svc),
      servicePorts(svc.spec?.ports),
      age(svc, now),
      formatLabels(svc.spec?.selector),
    ],
  }),
  'apps/deployments': printerOf<Deployment>({
    columns: [NAME, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), AGE, wide('Containers'), wide('Images'), wide('Selector')],
    cells(d, now) {
      const [names, images] = containerCells(d.spec?.template?.spec?.containers);
      const s = d.status ?? {};
      return [d.metadata.name ?? '', `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, s.updatedReplicas ?? 0, s.availableReplicas ?? 0, age(d, now), names, images, labelSelectorString(d.spec?.selector)];
    },
  }),
  'apps/replicasets': printerOf<ReplicaSet>({
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), AGE, wide('Containers'), wide('Images'), wide('Selector')],
    cells(rs, now) {
      const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
      return [rs.metadata.name ?? '', rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, age(rs, now), names, images, formatSelector(rs.spec?.selector)];
    },
  }),
  'apps/statefulsets': printerOf<StatefulSet>({
    columns: [NAME, col('Ready'), AGE, wide('Containers'), wide('Images')],
    cells(sts, now) {
      const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
      return [sts.metadata.name ?? '', `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, age(sts, now), names, images];
    },
  }),
  'apps/daemonsets': printerOf<DaemonSet>({
    columns: [
      NAME,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      AGE,
      wide('Containers'),
      wide('Images'),
      wide('Selector'),
    ],
    cells(ds, now) {
      const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
      const s = ds.status;
      return [
        ds.metadata.name ?? '',
        s?.desiredNumberScheduled ?? 0,
        s?.currentNumberScheduled ?? 0,
        s?.numberReady ?? 0,
        s?.updatedNumberScheduled ?? 0,
        s?.numberAvailable ?? 0,
        formatLabels(ds.spec?.template?.spec?.nodeSelector),
        age(ds, now),
        names,
        images,
        formatSelector(ds.spec?.selector),
      ];
    },
  }),
  events: printerOf<CoreEvent>({
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      wide('Subobject'),
      wide('Source'),
      col('Message'),
      wide('First Seen'),
      wide('Count'),
      { ...wide('Name'), format: 'name' },
    ],
    cells(ev, now) {
      const first = since(ev.firstTimestamp ?? ev.eventTime, now);
      let last = ev.lastTimestamp ? since(ev.lastTimestamp, now) : first;
      let count = ev.count || 1;
      if (ev.series) {
        last = since(ev.series.lastObservedTime, now);
        // The internal type's int32: 0 when the series carries no count.
        count = ev.series.count ?? 0;
      }
      const involved = ev.involvedObject ?? {};
      const kind = String(involved.kind ?? '').toLowerCase();
      const component = ev.source?.component || ev.reportingComponent || '';
      const instance = ev.source?.host || ev.reportingInstance || '';
      const source = !component ? '<unknown>' : instance ? `${component}, ${instance}` : component;
      return [
        last,
        ev.type ?? '',
        ev.reason ?? '',
        involved.name ? `${kind}/${involved.name}` : kind,
        involved.fieldPath ?? '',
        source,
        String(ev.message ?? '').trim(),
        first,
        count,
        ev.metadata.name ?? '',
      ];
    },
  }),
  'batch/jobs': printerOf<Job>({
    columns: [NAME, col('Status'), col('Completions'), col('Duration'), AGE, wide('Containers'), wide('Images'), wide('Selector')],
    cells(job, now) {
      const s = job.status ?? {};
      const has = (type: string) => (s.conditions ?? []).find((c: { type: string }) => c.type === type)?.status === 'True';
      const parallelism = job.spec?.parallelism ?? 0;
      const completions =
        job.spec?.completions !== undefined
          ? `${s.succeeded ?? 0}/${job.spec.completions}`
          : parallelism > 1
            ? `${s.succeeded ?? 0}/1 of ${parallelism}`
            : `${s.succeeded ?? 0}/1`;
      const start = s.startTime ? Date.parse(s.startTime) : undefined;
      const duration = start === undefined ? '' : humanDuration((s.completionTime ? Date.parse(s.completionTime) : now) - start);
      const status = has('Complete')
        ? 'Complete'
        : has('Failed')
          ? 'Failed'
          : job.metadata.deletionTimestamp
            ? 'Terminating'
            : has('Suspended')
              ? 'Suspended'
              : has('FailureTarget')
                ? 'FailureTarget'
                : 'Running';
      const [names, images] = containerCells(job.spec?.template?.spec?.containers);
      return [job.metadata.name ?? '', status, completions, duration, age(job, now), names, images, formatSelector(job.spec?.selector)];
    },
  }),
  'batch/cronjobs': printerOf<CronJob>({
    columns: [
      NAME,
      col('Schedule'),
      col('Timezone'),
      col('Suspend', 'boolean'),
      col('Active', 'integer'),
      col('Last Schedule'),
      AGE,
      wide('Containers'),
      wide('Images'),
      wide('Selector'),
    ],
    cells(cj, now) {
      const jobSpec = cj.spec?.jobTemplate?.spec;
      const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
      const suspend = cj.spec?.suspend;
      return [
        cj.metadata.name ?? '',
        cj.spec?.schedule ?? '',
        cj.spec?.timeZone ?? '<none>',
        suspend === undefined ? '<unset>' : suspend ? 'True' : 'False',
        (cj.status?.active ?? []).length,
        cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>',
        age(cj, now),
        names,
        images,
        formatSelector(jobSpec?.selector),
      ];
    },
  }),
  endpoints: printerOf<Endpoints>({ columns: [NAME, col('Endpoints'), AGE], cells: (ep, now) => [ep.metadata.name ?? '', formatEndpoints(ep), age(ep, now)] }),
  'discovery.k8s.io/endpointslices': printerOf<EndpointSlice>({
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    cells: (slice, now) => [
      slice.metadata.name ?? '',
      slice.addressType ?? '',
      moreThanThree(((slice.ports ?? []) as { port?: number }[]).map((p) => (p.port === undefined ? '<unset>' : String(p.port))), '<unset>'),
      moreThanThree(((slice.endpoints ?? []) as { addresses: string[] }[]).flatMap((e) => e.addresses), '<unset>'),
      age(slice, now),
    ],
  }),
  'storage.k8s.io/storageclasses': printerOf<StorageClass>({
    columns: [NAME, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion'), AGE],
    cells: (sc, now) => [
      `${sc.metadata.name ?? ''}${sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? ' (default)' : ''}`,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      String(sc.allowVolumeExpansion ?? false),
      age(sc, now),
    ],
  }),
  'rbac.authorization.k8s.io/roles': ROLE_PRINTER,
  'rbac.authorization.k8s.io/clusterroles': ROLE_PRINTER,
  'rbac.authorization.k8s.io/rolebindings': BINDING_PRINTER,
  'rbac.authorization.k8s.io/clusterrolebindings': BINDING_PRINTER,
  persistentvolumeclaims: printerOf<PersistentVolumeClaim>({
    columns: [
      NAME,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      AGE,
      wide('VolumeMode'),
    ],
    cells(pvc, now) {
      const bound = Boolean(pvc.spec?.volumeName);
      return [
        pvc.metadata.name ?? '',
        pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
        pvc.spec?.volumeName ?? '',
        bound ? (pvc.status?.capacity?.storage ?? '') : '',
        bound ? accessModes(pvc.status?.accessModes) : '',
        pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '',
        pvc.spec?.volumeAttributesClassName || '<unset>',
        age(pvc, now),
        pvc.spec?.volumeMode ?? '<unset>',
      ];
    },
  }),
  'networking.k8s.io/ingresses': printerOf<Ingress>({
    columns: [NAME, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE],
    cells: (ing, now) => [
      ing.metadata.name ?? '',
      ing.spec?.ingressClassName ?? '<none>',
      ingressHosts(ing.spec?.rules ?? []),
      ingressAddress(ing.status?.loadBalancer?.ingress ?? []),
      (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
      age(ing, now),
    ],
  }),
  // kube-apiserver 1.36 prints no SECRETS column any more (service accounts no longer get token Secrets).
  serviceaccounts: {
    columns: [NAME, AGE],
    cells: (sa, now) => [sa.metadata.name ?? '', age(sa, now)],
  },
  'policy/poddisruptionbudgets': printerOf<PodDisruptionBudget>({
    columns: [NAME, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), AGE],
    cells: (pdb, now) => [
      pdb.metadata.name ?? '',
      intOrString(pdb.spec?.minAvailable),
      intOrString(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      age(pdb, now),
    ],
  }),
};

/** Whether the Accept header asks for a meta.k8s.io Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}

/**
 * rest.NewDefaultTableConvertor (k8s.io/apiserver/pkg/registry/rest/table.go): what every
 * resource without a printer of its own answers, CustomResourceDefinitions included.
 */
const DEFAULT_PRINTER: Printer = {
  columns: [
    NAME,
    { name: 'Created At', type: 'date', description: AGE.description },
  ],
  cells: (obj) => [obj.metadata.name ?? '', createdAtRfc3339(obj.metadata.creationTimestamp)],
};

/** metav1.Time formatted as RFC 3339 in UTC; Go's zero time when unset. */
function createdAtRfc3339(ts: string | undefined): string {
  const t = ts ? Date.parse(ts) : Number.NaN;
  return Number.isNaN(t) ? '0001-01-01T00:00:00Z' : new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * A custom resource's printer (apiextensions-apiserver tableconvertor.New): Name, then each
 * additional printer column, or Age when the CRD version declares none
 * (serveDefaultColumnsIfEmpty).
 */
export function customResourcePrinter(declared: readonly PrinterColumn[]): Printer {
  const columns: PrinterColumn[] =
    declared.length > 0 ? [...declared] : [{ name: 'Age', type: 'date', description: AGE.description, jsonPath: '.metadata.creationTimestamp' }];
  const paths = columns.map((c) => parseJsonPath(c.jsonPath));
  return {
    columns: [
      NAME,
      ...columns.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        priority: c.priority ?? 0,
      })),
    ],
    cells(obj, now) {
      return [
        obj.metadata.name ?? '',
        ...columns.map((c, i) => {
          const found = paths[i] ? findJsonPath(obj, paths[i]) : [];
          return found.length === 0 ? null : columnCell(c.type, found[0], now);
        }),
      ];
    },
  };
}

/** tableconvertor's cellForJSONValue; a `string` column prints any value as JSONPath does. */
function columnCell(type: string, value: unknown, now: number): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = Date.parse(value);
      return Number.isNaN(t) ? '<invalid>' : humanDuration(now - t);
    }
    default:
      return null;
  }
}

/** The printer of a served resource type. */
export function printerFor(type: Pick<ResourceType, 'group' | 'resource' | 'printerColumns'>): Printer {
  const gr = type.group ? `${type.group}/${type.resource}` : type.resource;
  return PRINTERS[gr] ?? (type.printerColumns ? customResourcePrinter(type.printerColumns) : DEFAULT_PRINTER);
}

/**
 * A meta.k8s.io/v1 Table of `objects`. `includeObject` as the query parameter:
 * `Metadata` (default: PartialObjectMetadata, which kubectl needs for `-A`), `Object`, `None`.
 * `printer` defaults to the built-in one of `gr` (or the default table).
 */
export function toTable(
  gr: GroupResource,
  objects: readonly KubeObject[],
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  includeObject: string | null,
  now = Date.now(),
  printer: Printer = PRINTERS[gr] ?? DEFAULT_PRINTER,
): Record<string, unknown> {
  const rows = objects.map((obj) => ({
    cells: printer.cells(obj, now),
    object:
      includeObject === 'None'
        ? undefined
        : includeObject === 'Object'
          ? obj
          : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
  }));
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: printer.columns.map((c) => ({ description: '', priority: 0, format: '', ...c })),
    rows,
  };
}
