import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeHttp } from '../../src/kube/http.js';

let server: Server;
let connections = 0;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ kind: 'Namespace', metadata: { name: req.url?.split('/').pop() } }));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('KubeHttp connections', () => {
  it('sends its requests over one kept-alive connection, and opens a new one after close()', async () => {
    const http = new KubeHttp(kubeConfig());
    const before = connections;
    for (let i = 0; i < 5; i++) {
      const ns = await http.requestJson<{ metadata: { name: string } }>(`/api/v1/namespaces/ns-${i}`);
      expect(ns.metadata.name).toBe(`ns-${i}`);
    }
    expect(connections - before).toBe(1);
    http.close();
    await http.requestJson('/api/v1/namespaces/again');
    expect(connections - before).toBe(2);
    http.close();
  });

  it('does not share connections between two clients', async () => {
    const before = connections;
    const a = new KubeHttp(kubeConfig());
    const b = new KubeHttp(kubeConfig());
    await a.requestJson('/api/v1/namespaces/a');
    await b.requestJson('/api/v1/namespaces/b');
    await a.requestJson('/api/v1/namespaces/a');
    expect(connections - before).toBe(2);
    a.close();
    b.close();
  });
});
