import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { describe, expect, it } from 'vitest';
import { claimUsageFromSummary, nodesWithClaims } from '../../src/domain/volume-usage.js';

describe('volume usage from the kubelet Summary API', () => {
  it('reads the claim-backed volumes of every pod and leaves the others out', () => {
    const summary = {
      node: { nodeName: 'n1' },
      pods: [
        {
          volume: [
            { name: 'data', capacityBytes: 100, usedBytes: 92, availableBytes: 8, pvcRef: { name: 'data-db-0', namespace: 'db' } },
            { name: 'kube-api-access-x', capacityBytes: 10, usedBytes: 1 },
            { name: 'cache', pvcRef: { name: 'cache', namespace: 'db' } },
          ],
        },
        {},
      ],
    };
    expect(claimUsageFromSummary(summary)).toEqual([['db/data-db-0', { usedBytes: 92, capacityBytes: 100 }]]);
    expect(claimUsageFromSummary({})).toEqual([]);
  });

  it('asks only the nodes running a pod that mounts a claim', () => {
    const pod = (name: string, node: string | undefined, phase: string, claim: boolean): KubeObject => ({
      kind: 'Pod',
      metadata: { namespace: 'db', name },
      spec: { nodeName: node, volumes: claim ? [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] : [{ name: 'tmp', emptyDir: {} }] },
      status: { phase },
    });
    expect(nodesWithClaims([pod('a', 'n2', 'Running', true), pod('b', 'n1', 'Running', true), pod('c', 'n3', 'Running', false), pod('d', 'n4', 'Succeeded', true), pod('e', undefined, 'Pending', true), pod('f', 'n1', 'Running', true)])).toEqual(['n1', 'n2']);
  });
});
