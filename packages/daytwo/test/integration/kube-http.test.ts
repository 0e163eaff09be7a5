import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeHttp } from '../../src/kube/http.js';
import { listAll } from '../../src/kube/list.js';

let server: Server;
let connections = 0;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url?.startsWith(BROKEN_LIST_PATH)) {
      brokenListRequests++;
      res.end(BROKEN_LIST);
      return;
    }
    if (req.url === SPLIT_PATH) {
      // A character of three bytes and one of four, each cut between two writes 20 ms apart.
      const body = Buffer.from(JSON.stringify(SPLIT_BODY));
      const cuts = [body.indexOf('€') + 1, body.indexOf(Buffer.from('𝄞')) + 2];
      res.write(body.subarray(0, cuts[0]));
      setTimeout(() => res.write(body.subarray(cuts[0], cuts[1])), 20);
      setTimeout(() => res.end(body.subarray(cuts[1])), 40);
      return;
    }
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

const SPLIT_PATH = '/api/v1/namespaces/split/configmaps/utf8';
const BROKEN_LIST_PATH = '/api/v1/namespaces/broken/pods';
/** A page cut short after a pod's managed fields. */
const BROKEN_LIST = '{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"a","managedFields":[{"manager":"x"}]},"spec":';
let brokenListRequests = 0;
const SPLIT_BODY = { kind: 'ConfigMap', metadata: { name: 'utf8' }, data: { price: '12 €', clef: '𝄞 and é' } };

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

describe('KubeHttp bodies', () => {
  it('reads characters cut between two chunks whole, and hands the first chunk to onHead as it arrives', async () => {
    const http = new KubeHttp(kubeConfig());
    const heads: string[] = [];
    const raw = await http.requestText(SPLIT_PATH, { onHead: (head) => heads.push(head) });
    http.close();
    expect(JSON.parse(raw.text)).toEqual(SPLIT_BODY);
    expect(heads).toHaveLength(1);
    expect(raw.text.startsWith(heads[0])).toBe(true);
    expect(heads[0].length).toBeLessThan(raw.text.length);
  });
});

describe('listAll with a body that does not parse', () => {
  it('reads a page whose cut body does not parse again whole, and reports what the server sent', async () => {
    const http = new KubeHttp(kubeConfig());
    await expect(listAll(http, BROKEN_LIST_PATH, { dropManagedFields: true })).rejects.toThrow(`invalid JSON from ${BROKEN_LIST_PATH}: ${BROKEN_LIST.slice(0, 80)}`);
    http.close();
    expect(brokenListRequests).toBe(2);
  });
});
