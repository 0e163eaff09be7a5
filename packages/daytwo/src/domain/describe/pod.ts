/** `kubectl describe pod` (describePod, describeContainers, describeVolumes). */
import { getPodQosClass } from '@daytwo/k8s/qos.js';
import type { Container, ContainerStatus, CoreEvent, Pod, PodSpec, PodStatus, Volume } from '@daytwo/k8s/wire-types.js';
import { formatAge } from '../format.js';
import { eventsBlock } from './events.js';
import {
  annotationsBlock,
  controllerOf,
  type DescribeWriter,
  labelsBlock,
  resourcesBlock,
  rfc1123z,
  tolerationsBlock,
} from './writer.js';

type ContainerPort = NonNullable<Container['ports']>[number];
type ContainerState = NonNullable<ContainerStatus['state']>;
type Probe = NonNullable<Container['livenessProbe']>;

export function describePod(w: DescribeWriter, pod: Pod, events: readonly CoreEvent[] | undefined, now: number): void {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const status: PodStatus = pod.status ?? {};
  w.line(0, `Name:\t${pod.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${pod.metadata?.namespace ?? ''}`);
  if (spec.priority !== undefined) w.line(0, `Priority:\t${spec.priority}`);
  if (spec.priorityClassName) w.line(0, `Priority Class Name:\t${spec.priorityClassName}`);
  if (spec.runtimeClassName) w.line(0, `Runtime Class Name:\t${spec.runtimeClassName}`);
  if (spec.serviceAccountName) w.line(0, `Service Account:\t${spec.serviceAccountName}`);
  w.line(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}` : 'Node:\t<none>');
  if (status.startTime) w.line(0, `Start Time:\t${rfc1123z(status.startTime)}`);
  labelsBlock(w, 'Labels', pod.metadata?.labels);
  annotationsBlock(w, pod.metadata?.annotations);
  const deleting = pod.metadata?.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded';
  if (deleting) {
    w.line(0, `Status:\tTerminating (lasts ${formatAge(pod.metadata.deletionTimestamp, now)})`);
    w.line(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s`);
  } else {
    w.line(0, `Status:\t${status.phase ?? ''}`);
  }
  if (status.reason) w.line(0, `Reason:\t${status.reason}`);
  if (status.message) w.line(0, `Message:\t${status.message}`);
  w.line(0, `IP:\t${status.podIP ?? ''}`);
  const ips = status.podIPs ?? [];
  if (ips.length === 0) w.line(0, 'IPs:\t<none>');
  else {
    w.line(0, 'IPs:');
    for (const ip of ips) w.line(1, `IP:\t${ip.ip}`);
  }
  const controller = controllerOf(pod);
  if (controller) w.line(0, `Controlled By:\t${controller}`);
  if (status.nominatedNodeName) w.line(0, `NominatedNodeName:\t${status.nominatedNodeName}`);
  if (spec.resources) {
    w.line(0, 'Resources:');
    resourcesBlock(w, spec.resources, 1);
  }
  const initContainers = spec.initContainers ?? [];
  if (initContainers.length > 0) containersBlock(w, 'Init Containers', initContainers, status.initContainerStatuses, pod);
  containersBlock(w, 'Containers', spec.containers ?? [], status.containerStatuses, pod);
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    w.line(0, 'Conditions:');
    w.line(0, '  Type\tStatus');
    for (const c of conditions) w.line(1, `${c.type} \t${c.status} `);
  }
  volumesBlock(w, spec.volumes ?? []);
  w.line(0, `QoS Class:\t${status.qosClass ?? getPodQosClass(pod)}`);
  labelsBlock(w, 'Node-Selectors', spec.nodeSelector);
  tolerationsBlock(w, spec.tolerations);
  eventsBlock(w, events, now);
}

/** `describeContainers`: per container its image, ports, command, state, resources, probes, environment and mounts. */
export function containersBlock(
  w: DescribeWriter,
  label: string,
  containers: readonly Container[],
  statuses: readonly ContainerStatus[] | undefined,
  pod: Pod | undefined,
  indent = '',
): void {
  w.line(0, `${indent}${label}:${containers.length === 0 ? ' <none>' : ''}`);
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  for (const c of containers) {
    const s = byName.get(c.name);
    w.line(1, `${indent ? ' ' : ''}${c.name}:`);
    if (s) w.line(2, `Container ID:\t${s.containerID ?? ''}`);
    w.line(2, `Image:\t${c.image ?? ''}`);
    if (s) w.line(2, `Image ID:\t${s.imageID ?? ''}`);
    const ports = portsText(c.ports, (p) => p.containerPort);
    w.line(2, ports.includes(',') ? `Ports:\t${ports}` : `Port:\t${ports || '<none>'}`);
    const hostPorts = portsText(c.ports, (p) => p.hostPort ?? 0);
    w.line(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}` : `Host Port:\t${hostPorts || '<none>'}`);
    for (const [title, list] of [
      ['Command', c.command],
      ['Args', c.args],
    ] as const) {
      if (!list?.length) continue;
      w.line(2, `${title}:`);
      for (const item of list) for (const part of item.split('\n')) w.line(3, part);
    }
    if (s) {
      stateBlock(w, 'State', s.state ?? {});
      if (s.lastState?.terminated) stateBlock(w, 'Last State', s.lastState);
      w.line(2, `Ready:\t${s.ready ? 'True' : 'False'}`);
      w.line(2, `Restart Count:\t${s.restartCount ?? 0}`);
    }
    resourcesBlock(w, c.resources, 2);
    for (const [title, probe] of [
      ['Liveness', c.livenessProbe],
      ['Readiness', c.readinessProbe],
      ['Startup', c.startupProbe],
    ] as const) {
      if (probe) w.line(2, `${title}:\t${probeText(probe)}`);
    }
    envBlock(w, c, pod);
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1));
    w.line(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
      w.line(3, `${m.mountPath} from ${m.name} (${flags.join(',')})`);
    }
  }
}

function portsText(ports: readonly ContainerPort[] | undefined, port: (p: ContainerPort) => number): string {
  return (ports ?? []).map((p) => `${port(p)}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ');
}

/** `describeStatus`. */
function stateBlock(w: DescribeWriter, title: string, state: ContainerState): void {
  if (state.running) {
    w.line(2, `${title}:\tRunning`);
    w.line(3, `Started:\t${rfc1123z(state.running.startedAt)}`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.line(2, `${title}:\tTerminated`);
    if (t.reason) w.line(3, `Reason:\t${t.reason}`);
    if (t.message) w.line(3, `Message:\t${t.message}`);
    w.line(3, `Exit Code:\t${t.exitCode ?? 0}`);
    if ((t.signal ?? 0) > 0) w.line(3, `Signal:\t${t.signal}`);
    w.line(3, `Started:\t${rfc1123z(t.startedAt)}`);
    w.line(3, `Finished:\t${rfc1123z(t.finishedAt)}`);
  } else {
    w.line(2, `${title}:\tWaiting`);
    if (state.waiting?.reason) w.line(3, `Reason:\t${state.waiting.reason}`);
  }
}

/** `DescribeProbe`. */
export function probeText(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const port = g.port === undefined ? '' : String(g.port);
    const host = port ? `${(g.host ?? '').includes(':') ? `[${g.host}]` : (g.host ?? '')}:${port}` : (g.host ?? '');
    return `http-get ${String(g.scheme ?? '').toLowerCase()}://${host}${g.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

/** `describeContainerEnvFrom` and `describeContainerEnvVars`: literal values and where the others come from, never a Secret's value. */
function envBlock(w: DescribeWriter, c: Container, pod: Pod | undefined): void {
  const envFrom = c.envFrom ?? [];
  if (envFrom.length > 0) {
    w.line(2, 'Environment Variables from:');
    for (const from of envFrom) {
      const [kind, ref] = from.configMapRef ? ['ConfigMap', from.configMapRef] : ['Secret', from.secretRef ?? {}];
      const prefix = from.prefix ? ` with prefix '${from.prefix}'` : '';
      w.line(3, `${ref.name ?? ''}\t${kind}${prefix}\tOptional: ${ref.optional === true}`);
    }
  }
  const env = c.env ?? [];
  w.line(2, `Environment:${env.length === 0 ? '\t<none>' : ''}`);
  for (const e of env) {
    const v = e.valueFrom;
    if (!v) {
      for (const [i, s] of String(e.value ?? '').split('\n').entries()) w.line(3, i === 0 ? `${e.name}:\t${s}` : `\t${s}`);
    } else if (v.fieldRef) w.line(3, `${e.name}:\t${fieldValue(pod, v.fieldRef.fieldPath)} (${v.fieldRef.apiVersion ?? 'v1'}:${v.fieldRef.fieldPath})`);
    else if (v.resourceFieldRef) w.line(3, `${e.name}:\t (${v.resourceFieldRef.resource})`);
    else if (v.secretKeyRef) w.line(3, `${e.name}:\t<set to the key '${v.secretKeyRef.key}' in secret '${v.secretKeyRef.name}'>\tOptional: ${v.secretKeyRef.optional === true}`);
    else if (v.configMapKeyRef) w.line(3, `${e.name}:\t<set to the key '${v.configMapKeyRef.key}' of config map '${v.configMapKeyRef.name}'>\tOptional: ${v.configMapKeyRef.optional === true}`);
  }
}

/** The pod's value of a downward-API field path (`metadata.name`, `status.podIP`), as kubectl's EnvValueRetriever resolves it. */
function fieldValue(pod: Pod | undefined, path: string): string {
  if (!pod || !/^[a-zA-Z.]+$/.test(path)) return '';
  let value: unknown = pod;
  for (const k of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined;
  return typeof value === 'string' ? value : '';
}

/** `describeVolumes` for the common volume types; others print `<unknown>` as kubectl does for types it lacks. */
export function volumesBlock(w: DescribeWriter, volumes: readonly Volume[], indent = ''): void {
  if (volumes.length === 0) {
    w.line(0, `${indent}Volumes:\t<none>`);
    return;
  }
  w.line(0, `${indent}Volumes:`);
  for (const v of volumes) {
    w.line(1, `${indent ? ' ' : ''}${v.name}:`);
    if (v.emptyDir) {
      w.line(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)");
      w.line(0, `    Medium:\t${v.emptyDir.medium ?? ''}`);
      w.line(0, `    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}`);
    } else if (v.secret) {
      w.line(2, 'Type:\tSecret (a volume populated by a Secret)');
      w.line(0, `    SecretName:\t${v.secret.secretName ?? ''}`);
      w.line(0, `    Optional:\t${v.secret.optional === true}`);
    } else if (v.configMap) {
      w.line(2, 'Type:\tConfigMap (a volume populated by a ConfigMap)');
      w.line(0, `    Name:\t${v.configMap.name ?? ''}`);
      w.line(0, `    Optional:\t${v.configMap.optional === true}`);
    } else if (v.persistentVolumeClaim) {
      w.line(2, 'Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)');
      w.line(0, `    ClaimName:\t${v.persistentVolumeClaim.claimName ?? ''}`);
      w.line(0, `    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}`);
    } else if (v.hostPath) {
      w.line(2, 'Type:\tHostPath (bare host directory volume)');
      w.line(0, `    Path:\t${v.hostPath.path ?? ''}`);
      w.line(0, `    HostPathType:\t${v.hostPath.type ?? '<none>'}`);
    } else if (v.projected) {
      w.line(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)');
      for (const s of v.projected.sources ?? []) {
        if (s.secret) {
          w.line(2, `SecretName:\t${s.secret.name ?? ''}`);
          w.line(0, `    Optional:\t${s.secret.optional === true}`);
        } else if (s.downwardAPI) w.line(2, 'DownwardAPI:\ttrue');
        else if (s.configMap) {
          w.line(2, `ConfigMapName:\t${s.configMap.name ?? ''}`);
          w.line(0, `    Optional:\t${s.configMap.optional === true}`);
        } else if (s.serviceAccountToken) w.line(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? ''}`);
      }
    } else {
      w.line(1, '<unknown>');
    }
  }
}
