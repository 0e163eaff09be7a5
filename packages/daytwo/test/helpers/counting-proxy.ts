/**
 * An HTTP proxy in front of the simulated cluster that records every request (method, path,
 * status), so a test can count what a command sent: evictions per pod, or any write at all.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simKubeconfig } from '@daytwo/sim/kubeconfig.js';
import type { TestSim } from '../../../sim/test/helpers/sim.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface CountingProxy {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** A kubeconfig (YAML) whose admin context goes through the proxy. */
  kubeconfig(): string;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1:0 that forwards to the sim's plain-HTTP port. */
export async function startCountingProxy(t: TestSim): Promise<CountingProxy> {
  const target = new URL(t.sim.url);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    kubeconfig: () => simKubeconfig({ server: url, users: t.sim.tokens, user: 'admin' }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Accepted evictions (2xx) per pod, `namespace/name`. */
export function acceptedEvictions(requests: readonly RecordedRequest[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of requests) {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/?]+)\/eviction/.exec(r.path);
    if (!m || r.method !== 'POST' || r.status < 200 || r.status >= 300) continue;
    const key = `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}
