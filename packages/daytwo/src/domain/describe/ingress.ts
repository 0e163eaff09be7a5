/** `kubectl describe ingress` (describeIngressV1, describeBackendV1, describeIngressTLSV1). */
import type { CoreEvent, EndpointSlice, Ingress, Service } from '@daytwo/k8s/wire-types.js';
import { eventsBlock } from './events.js';
import { formatEndpointSlices } from './service.js';
import { annotationsBlock, type DescribeWriter, labelsBlock } from './writer.js';

/** What kubectl reads for a backend service: the Service and its EndpointSlices, or the error reading them. */
export type BackendService = { readonly service: Service; readonly slices: readonly EndpointSlice[] } | { readonly error: string };

type Backend = NonNullable<NonNullable<Ingress['spec']>['defaultBackend']>;

/** The service names an Ingress's backends name, for the kube layer to read. */
export function backendServiceNames(ing: Ingress): string[] {
  const backends = [ing.spec?.defaultBackend, ...(ing.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
  return [...new Set(backends.flatMap((b) => (b?.service?.name ? [b.service.name] : [])))];
}

/** `describeBackendV1`: `web:80 (10.0.1.5:8080)`, with the endpoints of the service port it names. */
function backendText(backend: Backend, services: ReadonlyMap<string, BackendService>): string {
  const svc = backend.service;
  if (svc) {
    const port = svc.port?.number ? String(svc.port.number) : (svc.port?.name ?? '');
    const name = `${svc.name}:${port}`;
    const found = services.get(svc.name);
    if (!found) return name;
    if ('error' in found) return `${name} (<error: ${found.error}>)`;
    let portName = '';
    for (const sp of found.service.spec?.ports ?? []) {
      if ((svc.port?.number && svc.port.number === sp.port) || (svc.port?.name && svc.port.name === sp.name)) portName = sp.name ?? '';
    }
    return `${name} (${formatEndpointSlices(found.slices, portName)})`;
  }
  if (backend.resource) return `APIGroup: ${backend.resource.apiGroup ?? '<none>'}, Kind: ${backend.resource.kind}, Name: ${backend.resource.name}`;
  return '';
}

/** `ingressLoadBalancerStatusStringerV1` (wide): the IPs or host names, sorted, once each. */
function addressText(ing: Ingress): string {
  const all = (ing.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : i.hostname ? [i.hostname] : []));
  return [...new Set(all)].sort().join(',');
}

export function describeIngress(
  w: DescribeWriter,
  ing: Ingress,
  services: ReadonlyMap<string, BackendService>,
  events: readonly CoreEvent[] | undefined,
  now: number,
): void {
  const spec = ing.spec;
  w.line(0, `Name:\t${ing.metadata?.name ?? ''}`);
  labelsBlock(w, 'Labels', ing.metadata?.labels);
  w.line(0, `Namespace:\t${ing.metadata?.namespace ?? ''}`);
  w.line(0, `Address:\t${addressText(ing)}`);
  w.line(0, `Ingress Class:\t${spec?.ingressClassName ?? '<none>'}`);
  const defaultBackend = spec?.defaultBackend ? backendText(spec.defaultBackend, services) : '<default>';
  w.line(0, `Default backend:\t${defaultBackend}`);
  if ((spec?.tls ?? []).length > 0) {
    w.line(0, 'TLS:');
    for (const t of spec?.tls ?? []) {
      const hosts = (t.hosts ?? []).join(',');
      w.line(1, t.secretName ? `${t.secretName} terminates ${hosts}` : `SNI routes ${hosts}`);
    }
  }
  w.line(0, 'Rules:');
  w.line(0, '  Host\tPath\tBackends');
  w.line(1, '----\t----\t--------');
  let count = 0;
  for (const rule of spec?.rules ?? []) {
    if (!rule.http) continue;
    count++;
    w.line(1, `${rule.host || '*'}\t`);
    for (const path of rule.http.paths ?? []) w.line(2, `\t${path.path ?? ''} \t${backendText(path.backend, services)}`);
  }
  if (count === 0) w.line(1, `*\t*\t${defaultBackend}`);
  annotationsBlock(w, ing.metadata?.annotations);
  eventsBlock(w, events, now);
}
