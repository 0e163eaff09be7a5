import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { describe, expect, it } from 'vitest';
import { forwardablePorts, forwardTarget, kubectlPortForwardArgs, parseForwardingLine, portForwardId } from '../../src/domain/port-forward.js';

const coredns = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'coredns-5d78c9869d-x2x7l', namespace: 'kube-system' },
  spec: {
    containers: [
      {
        name: 'coredns',
        image: 'coredns:v1.11.1',
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9153 },
        ],
      },
      { name: 'sidecar', image: 'busybox' },
    ],
  },
} as unknown as KubeObject;

describe('the ports Shift-F offers', () => {
  it("are a pod's TCP container ports as k9s names them (container::port); UDP is left out", () => {
    expect(forwardablePorts(coredns)).toEqual([
      { label: 'coredns::53', port: 53, container: 'coredns' },
      { label: 'coredns::9153', port: 9153, container: 'coredns' },
    ]);
  });

  it("are a workload's pod template ports", () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
    } as unknown as KubeObject;
    expect(forwardablePorts(deploy)).toEqual([{ label: 'web::80', port: 80, container: 'web' }]);
  });

  it("are a service's TCP ports, which kubectl maps to their target port", () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
          { port: 8443, targetPort: 443 },
          { name: 'syslog', port: 514, protocol: 'UDP' },
        ],
      },
    } as unknown as KubeObject;
    expect(forwardablePorts(svc)).toEqual([
      { label: '80 http → http', port: 80 },
      { label: '8443 → 443', port: 8443 },
    ]);
  });

  it('are none for kinds kubectl port-forward does not take', () => {
    expect(forwardablePorts({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } as KubeObject)).toEqual([]);
    expect(forwardTarget({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c' })).toBeUndefined();
    expect(forwardTarget({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r' })).toBeUndefined();
    expect(forwardTarget({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' })).toBe('statefulset/db');
  });
});

describe("kubectl port-forward's arguments and output", () => {
  const ref = { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' };
  it('name the target TYPE/NAME, LOCAL:REMOTE (:REMOTE for any free port), the address and the session', () => {
    expect(kubectlPortForwardArgs({ ref, remotePort: 80, localPort: 8080, address: 'localhost' }, '/tmp/k', 'prod')).toEqual([
      'port-forward', '-n', 'shop', 'service/web', '8080:80', '--address', 'localhost', '--kubeconfig', '/tmp/k', '--context', 'prod',
    ]);
    expect(kubectlPortForwardArgs({ ref, remotePort: 80, address: 'localhost' }, '/tmp/k', 'prod')[4]).toBe(':80');
    expect(() => kubectlPortForwardArgs({ ref: { ...ref, kind: 'ConfigMap' }, remotePort: 80, address: 'localhost' }, '/tmp/k', 'prod')).toThrow(
      'cannot port-forward to ConfigMap web',
    );
    expect(portForwardId({ ref, remotePort: 80, address: 'localhost' })).toBe('shop/service/web/:80@localhost');
  });

  it("parses client-go's Forwarding lines, IPv4 and IPv6, and nothing else", () => {
    expect(parseForwardingLine('Forwarding from 127.0.0.1:8080 -> 80')).toEqual({ listen: '127.0.0.1:8080', localPort: 8080, remotePort: 80 });
    expect(parseForwardingLine('Forwarding from [::1]:8080 -> 80\n')).toEqual({ listen: '[::1]:8080', localPort: 8080, remotePort: 80 });
    expect(parseForwardingLine('Handling connection for 8080')).toBeUndefined();
  });
});
