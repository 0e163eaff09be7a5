import { readFileSync, statSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { privateKubeconfig } from '../../src/kube/kubectl.js';

const TWO_CONTEXTS = `
apiVersion: v1
kind: Config
clusters:
- {name: prod, cluster: {server: 'https://prod.example.com'}}
- {name: staging, cluster: {server: 'https://staging.example.com'}}
users:
- {name: prod-admin, user: {token: prod-secret}}
- {name: staging-dev, user: {token: staging-secret}}
contexts:
- {name: prod, context: {cluster: prod, user: prod-admin, namespace: shop}}
- {name: staging, context: {cluster: staging, user: staging-dev}}
current-context: staging
`;

describe('privateKubeconfig (the file handed to kubectl exec and port-forward)', () => {
  it("holds the session's context, cluster and user only, readable by the owner alone", () => {
    const kc = new KubeConfig();
    kc.loadFromString(TWO_CONTEXTS);
    const config = privateKubeconfig(kc);
    try {
      const text = readFileSync(config.file, 'utf8');
      expect(text).not.toContain('prod-secret');
      const doc = parse(text);
      expect(doc['current-context']).toBe('staging');
      expect(doc.contexts.map((c: { name: string }) => c.name)).toEqual(['staging']);
      expect(doc.clusters.map((c: { cluster: { server: string } }) => c.cluster.server)).toEqual(['https://staging.example.com']);
      expect(doc.users).toEqual([{ name: 'staging-dev', user: { token: 'staging-secret' } }]);
      expect(statSync(config.file).mode & 0o777).toBe(0o600);
    } finally {
      config.remove();
    }
  });
});
