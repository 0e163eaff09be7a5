/** `kubectl describe` of a Service (describeService, formatEndpointSlices) and a ConfigMap (ConfigMapDescriber). */
import type { ConfigMap, CoreEvent, EndpointSlice, Service } from '@daytwo/k8s/wire-types.js';
import { formatLabels } from './controllers.js';
import { eventsBlock } from './events.js';
import { annotationsBlock, type DescribeWriter, labelsBlock } from './writer.js';

/** Go's `net.JoinHostPort`: an IPv6 address in brackets. */
const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** `formatEndpointSlices`: ready endpoints of the slices' ports named `portName`, at most three, then `+ N more...`. */
export function formatEndpointSlices(slices: readonly EndpointSlice[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  // A nil `ready` is unknown, which consumers read as ready (discovery/v1 types.go).
  const ready = (e: EndpointSlice['endpoints'][number]) => e.conditions?.ready === undefined || e.conditions.ready === null || e.conditions.ready;
  for (const slice of slices) {
    const endpoints = slice.endpoints ?? [];
    if ((slice.ports ?? []).length === 0) {
      for (const e of endpoints) {
        if (list.length === max) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(e.addresses[0]);
        count++;
      }
      continue;
    }
    for (const port of slice.ports ?? []) {
      if ((port.name ?? '') !== portName) continue;
      for (const e of endpoints) {
        if (list.length === max) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(joinHostPort(e.addresses[0], port.port ?? 0));
        count++;
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

/** `buildIngressString`: a load balancer's IPs (with their mode) or host names. */
function ingressText(ingress: NonNullable<NonNullable<Service['status']>['loadBalancer']>['ingress']): string {
  return (ingress ?? []).map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : (i.hostname ?? ''))).join(', ');
}

export function describeService(w: DescribeWriter, svc: Service, slices: readonly EndpointSlice[], events: readonly CoreEvent[] | undefined, now: number): void {
  const spec = svc.spec ?? {};
  w.line(0, `Name:\t${svc.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${svc.metadata?.namespace ?? ''}`);
  labelsBlock(w, 'Labels', svc.metadata?.labels);
  annotationsBlock(w, svc.metadata?.annotations);
  w.line(0, `Selector:\t${formatLabels(spec.selector)}`);
  w.line(0, `Type:\t${spec.type ?? ''}`);
  if (spec.ipFamilyPolicy) w.line(0, `IP Family Policy:\t${spec.ipFamilyPolicy}`);
  w.line(0, `IP Families:\t${(spec.ipFamilies ?? []).length > 0 ? spec.ipFamilies?.join(',') : '<none>'}`);
  w.line(0, `IP:\t${spec.clusterIP ?? ''}`);
  w.line(0, `IPs:\t${(spec.clusterIPs ?? []).length > 0 ? spec.clusterIPs?.join(',') : '<none>'}`);
  if ((spec.externalIPs ?? []).length > 0) w.line(0, `External IPs:\t${spec.externalIPs?.join(',')}`);
  if (spec.loadBalancerIP) w.line(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}`);
  if (spec.externalName) w.line(0, `External Name:\t${spec.externalName}`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.line(0, `LoadBalancer Ingress:\t${ingressText(ingress)}`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const protocol = p.protocol ?? 'TCP';
    w.line(0, `Port:\t${name}\t${p.port}/${protocol}`);
    w.line(0, `TargetPort:\t${p.targetPort ?? p.port}/${protocol}`);
    if (p.appProtocol) w.line(0, `AppProtocol:\t${p.appProtocol}`);
    if (p.nodePort) w.line(0, `NodePort:\t${name}\t${p.nodePort}/${protocol}`);
    w.line(0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}`);
  }
  w.line(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}`);
  if (spec.externalTrafficPolicy) w.line(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}`);
  if (spec.internalTrafficPolicy) w.line(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}`);
  if (spec.healthCheckNodePort) w.line(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}`);
  if ((spec.loadBalancerSourceRanges ?? []).length > 0) w.line(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges?.join(',')}`);
  if (spec.trafficDistribution) w.line(0, `Traffic Distribution:\t${spec.trafficDistribution}`);
  eventsBlock(w, events, now);
}

/** ConfigMapDescriber: each data value whole under its key, binary data by size only. */
export function describeConfigMap(w: DescribeWriter, cm: ConfigMap, events: readonly CoreEvent[] | undefined, now: number): void {
  w.line(0, `Name:\t${cm.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${cm.metadata?.namespace ?? ''}`);
  labelsBlock(w, 'Labels', cm.metadata?.labels);
  annotationsBlock(w, cm.metadata?.annotations);
  w.line(0, '');
  w.line(0, 'Data');
  w.line(0, '====');
  const data = cm.data ?? {};
  for (const k of Object.keys(data).sort()) {
    w.line(0, `${k}:`);
    w.line(0, '----');
    w.line(0, data[k]);
    w.line(0, '');
  }
  w.line(0, '');
  w.line(0, 'BinaryData');
  w.line(0, '====');
  const binary = cm.binaryData ?? {};
  for (const k of Object.keys(binary).sort()) w.line(0, `${k}: ${base64Length(binary[k])} bytes`);
  w.line(0, '');
  eventsBlock(w, events, now);
}

/** Bytes a base64 value decodes to (binaryData travels base64-encoded). */
function base64Length(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}
