import { describe, expect, it } from 'vitest';
import { nodeUsage, podContainerUsage, usageJson } from '../../src/metrics.js';
import type { KubeObject } from '../../src/types.js';

const MI = 1n << 20n;

function pod(name: string, containers: { name: string; resources?: object; running?: boolean }[], phase = 'Running'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { nodeName: 'node-a', containers: containers.map(({ name: n, resources }) => ({ name: n, image: 'x', resources })) },
    status: {
      phase,
      containerStatuses: containers.map((c) => ({
        name: c.name,
        state: c.running === false ? { waiting: { reason: 'CrashLoopBackOff' } } : { running: { startedAt: '2026-01-01T00:00:00Z' } },
      })),
    },
  } as KubeObject;
}

describe('sim synthetic usage', () => {
  it('is the same for the same pod and container, and differs between containers', () => {
    const p = pod('web-1', [{ name: 'a' }, { name: 'b' }]);
    const first = podContainerUsage(p);
    expect(podContainerUsage(p)).toEqual(first);
    expect(first[0]).not.toEqual({ ...first[1], name: 'a' });
  });

  it('reports running containers only, and nothing for a pod that is not running', () => {
    const crashing = pod('crash-1', [{ name: 'app', running: false }, { name: 'sidecar' }]);
    expect(podContainerUsage(crashing).map((c) => c.name)).toEqual(['sidecar']);
    expect(podContainerUsage(pod('done-1', [{ name: 'app' }], 'Succeeded'))).toEqual([]);
  });

  it('stays under the memory limit and within 35%-135% of the request', () => {
    for (let i = 0; i < 50; i++) {
      const [limited] = podContainerUsage(pod(`l-${i}`, [{ name: 'app', resources: { requests: { memory: '100Mi' }, limits: { memory: '110Mi' } } }]));
      expect(limited.memoryBytes).toBeLessThanOrEqual(110n * MI);
      const [open] = podContainerUsage(pod(`o-${i}`, [{ name: 'app', resources: { requests: { memory: '100Mi' } } }]));
      expect(open.memoryBytes).toBeGreaterThanOrEqual(35n * MI - 1024n);
      expect(open.memoryBytes).toBeLessThanOrEqual(135n * MI);
    }
  });

  it("adds a node's overhead to its pods' usage, in metrics-server's units", () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } } as KubeObject;
    const p = pod('web-1', [{ name: 'a' }]);
    const [c] = podContainerUsage(p);
    const empty = nodeUsage(node, []);
    const withPod = nodeUsage(node, [p]);
    expect(withPod.memoryBytes - empty.memoryBytes).toBe(c.memoryBytes);
    expect(usageJson(withPod)).toEqual({ cpu: `${withPod.cpuNanos}n`, memory: `${withPod.memoryBytes / 1024n}Ki` });
  });
});
