/**
 * EndpointSlice controller, after pkg/controller/endpointslice: for each Service with a
 * selector, slices of its pods' endpoints (`discovery.k8s.io/v1`), one per set of resolved
 * ports, labelled with the Service name and owned by the Service (so they go with it).
 * Each endpoint carries the ready/serving/terminating conditions, node, zone and pod.
 * Upstream also splits slices beyond 100 endpoints; demo Services stay far below that.
 */

import type { EndpointSlice, Pod, Service } from '@daytwo/k8s/wire-types.js';
import type { KubeObject, StoreEvent } from '../types.js';
import { keysOf, QueueController } from './base.js';
import { compareIp, resolveTargetPort, serviceSelector } from './endpoints.js';
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
  newControllerRef,
  splitKey,
  updateWithRetry,
} from './objects.js';
import { keysSelectingPod } from './pod-selectors.js';

const SLICES = 'discovery.k8s.io/endpointslices';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'endpointslice-controller.k8s.io';

type SliceEndpoint = EndpointSlice['endpoints'][number];

interface SliceContent {
  ports: { name?: string; port: number; protocol: string }[];
  endpoints: SliceEndpoint[];
}

/** An EndpointSlice as this controller writes it: `endpoints` and `ports` left out when empty. */
interface Slice extends KubeObject {
  addressType?: string;
  endpoints?: SliceEndpoint[];
  ports?: SliceContent['ports'];
}

export class EndpointSliceController extends QueueController {
  readonly name = 'endpointslice';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.services) return keysOf([ev.object]);
    if (ev.gr !== GR.pods || !ev.object.metadata.namespace) return [];
    const services = listOf(this.ctx.store, GR.services, { namespace: ev.object.metadata.namespace }).filter((s) => s.spec?.selector);
    return keysSelectingPod(ev, services, serviceSelector);
  }

  protected allKeys(): string[] {
    return keysOf(listOf(this.ctx.store, GR.services));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = getOf(this.ctx.store, GR.services, namespace, name);
    if (!svc || !namespace || !svc.spec?.selector || svc.metadata.deletionTimestamp) return;
    const selector = serviceSelector(svc);
    const pods = this.index.podsSelected(namespace, selector);
    const wanted = sliceContents(svc, pods, (node) => getOf(this.ctx.store, GR.nodes, undefined, node)?.metadata.labels?.['topology.kubernetes.io/zone']);
    const existing = this.ctx.store
      .list(SLICES, { namespace })
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY);
    const labels = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
    // A Service selecting nothing still has one (empty) slice, as upstream's placeholder.
    const contents: SliceContent[] = wanted.length > 0 ? wanted : [{ ports: [], endpoints: [] }];
    contents.forEach((content, i) => {
      const slice = existing[i];
      if (!slice) {
        createIfAbsent<Slice>(
          this.ctx.store,
          SLICES,
          {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [newControllerRef(svc, 'v1', 'Service')] },
            addressType: 'IPv4',
            ...sliceFields(content),
          },
          MANAGER.controllerManager,
        );
        return;
      }
      updateWithRetry<Slice>(this.ctx.store, SLICES, namespace, slice.metadata.name ?? '', (copy) => {
        const fields = sliceFields(content);
        const next = { ...copy, metadata: { ...copy.metadata, labels }, endpoints: fields.endpoints, ports: fields.ports };
        if (!fields.endpoints) delete next.endpoints;
        if (!fields.ports) delete next.ports;
        if (jsonEqual(next, copy)) return false;
        Object.assign(copy, next);
        if (!fields.endpoints) delete copy.endpoints;
        if (!fields.ports) delete copy.ports;
        return true;
      }, MANAGER.controllerManager);
    });
    for (const extra of existing.slice(contents.length)) deleteIfPresent(this.ctx.store, SLICES, namespace, extra.metadata.name ?? '', MANAGER.controllerManager);
  }
}

function sliceFields(content: SliceContent): { endpoints?: SliceEndpoint[]; ports?: SliceContent['ports'] } {
  return {
    ...(content.endpoints.length > 0 ? { endpoints: content.endpoints } : {}),
    ...(content.ports.length > 0 ? { ports: content.ports } : {}),
  };
}

/** The endpoints of a Service's pods, grouped by their resolved ports, sorted by address. */
export function sliceContents(svc: Service, pods: readonly Pod[], zoneOf: (node: string) => string | undefined): SliceContent[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, SliceContent>();
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || isPodTerminal(pod)) continue;
    const ports: SliceContent['ports'] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = resolveTargetPort(pod, sp);
      if (port !== undefined) ports.push({ ...(sp.name !== undefined ? { name: sp.name } : { name: '' }), port, protocol: sp.protocol ?? 'TCP' });
    }
    if ((svc.spec?.ports ?? []).length > 0 && ports.length === 0) continue;
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const serving = isPodReady(pod) || publishNotReady;
    const node = pod.spec?.nodeName;
    const zone = node ? zoneOf(node) : undefined;
    const endpoint: SliceEndpoint = {
      addresses: [ip],
      conditions: { ready: serving && !terminating, serving, terminating },
      ...(pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
      ...(node ? { nodeName: node } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
      ...(zone ? { zone } : {}),
    };
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    groups.set(key, group);
    group.endpoints.push(endpoint);
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => compareIp(a.addresses[0], b.addresses[0]));
  return [...groups.values()];
}
