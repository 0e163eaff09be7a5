/**
 * Endpoints controller, after k8s.io/kubernetes/pkg/controller/endpoint/endpoints_controller.go:
 * one Endpoints object per Service with a selector, ready pods under `addresses`, the
 * others under `notReadyAddresses`, ports resolved from (named) targetPorts.
 */

import type { Endpoints, Pod, Service } from '@daytwo/k8s/wire-types.js';
import { labelSelectorFromObject } from '../selectors.js';
import type { StoreEvent } from '../types.js';
import { keysOf, QueueController } from './base.js';
import {
  createIfAbsent,
  deleteIfPresent,
  GR,
  getOf,
  isPodReady,
  isPodTerminal,
  jsonEqual,
  listOf,
  MANAGER,
  splitKey,
  updateWithRetry,
} from './objects.js';
import { keysSelectingPod } from './pod-selectors.js';

export type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];
type EndpointSubset = NonNullable<Endpoints['subsets']>[number];

interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
}

interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

export class EndpointsController extends QueueController {
  readonly name = 'endpoints';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.services) return keysOf([ev.object]);
    const namespace = ev.object.metadata.namespace;
    if (ev.gr !== GR.pods || !namespace) return [];
    // A Service without a selector matches no pod (its Endpoints are managed by hand).
    const services = listOf(this.ctx.store, GR.services, { namespace }).filter((svc) => svc.spec?.selector);
    return keysSelectingPod(ev, services, serviceSelector);
  }

  protected allKeys(): string[] {
    return keysOf(listOf(this.ctx.store, GR.services));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = getOf(this.ctx.store, GR.services, namespace, name);
    // syncService: the Endpoints of a deleted Service go with it.
    if (!svc) {
      deleteIfPresent(this.ctx.store, GR.endpoints, namespace, name, MANAGER.controllerManager);
      return;
    }
    if (!namespace || !svc.spec?.selector) return;
    // A Service selector is plain equality on labels; parsed once, not per pod.
    const selector = serviceSelector(svc);
    const pods = this.index.podsSelected(namespace, selector);
    const subsets = endpointSubsets(svc, pods);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const existing = this.ctx.store.get(GR.endpoints, namespace, name);
    if (!existing) {
      createIfAbsent<Endpoints>(
        this.ctx.store,
        GR.endpoints,
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name, namespace, ...(Object.keys(labels).length > 0 ? { labels } : {}) },
          ...(subsets.length > 0 ? { subsets } : {}),
        },
        MANAGER.controllerManager,
      );
      return;
    }
    updateWithRetry<Endpoints>(
      this.ctx.store,
      GR.endpoints,
      namespace,
      name,
      (copy) => {
        const nextLabels = Object.keys(labels).length > 0 ? labels : undefined;
        if (jsonEqual(copy.subsets ?? [], subsets) && jsonEqual(copy.metadata.labels ?? {}, nextLabels ?? {})) return false;
        if (subsets.length > 0) copy.subsets = subsets;
        else delete copy.subsets;
        if (nextLabels) copy.metadata.labels = nextLabels;
        else delete copy.metadata.labels;
        return true;
      },
      MANAGER.controllerManager,
    );
  }
}

/** A Service's selector (plain equality on labels) as label requirements, parsed once per sync, not per pod. */
export function serviceSelector(svc: Service) {
  return labelSelectorFromObject({ matchLabels: svc.spec?.selector });
}

/**
 * The subsets of a Service's Endpoints: pods grouped by their resolved port set
 * (`endpoints.RepackSubsets`), addresses sorted by IP. Pods without an IP, terminal
 * pods and (unless publishNotReadyAddresses) terminating pods are left out.
 */
export function endpointSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || isPodTerminal(pod)) continue;
    if (pod.metadata.deletionTimestamp && !publishNotReady) continue;
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = resolveTargetPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' });
    }
    if ((svc.spec?.ports ?? []).length > 0 && ports.length === 0) continue;
    const address: EndpointAddress = {
      ip,
      ...(pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    };
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, ready: [], notReady: [] };
    groups.set(key, group);
    if (isPodReady(pod) || publishNotReady) group.ready.push(address);
    else group.notReady.push(address);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) => compareIp(a.ip, b.ip) || (a.targetRef.uid < b.targetRef.uid ? -1 : 1);
  return [...groups.values()].map((g) => ({
    ...(g.ready.length > 0 ? { addresses: g.ready.sort(byIp) } : {}),
    ...(g.notReady.length > 0 ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
    ...(g.ports.length > 0 ? { ports: g.ports } : {}),
  }));
}

/** `podutil.FindPort`: a numeric targetPort as is; a name looked up among the containers' ports. */
export function resolveTargetPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

export function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
