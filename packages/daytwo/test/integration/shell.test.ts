/**
 * `s` on a pod hands the terminal to `kubectl exec -it`, as k9s does. The simulated
 * cluster serves no exec stream, so kubectl fails there: what is checked is what daytwo
 * does around it (the arguments, the private kubeconfig of the session's context, the
 * guard and the audit lines). Skipped, with a line saying so, where kubectl is not on PATH.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionRefused } from '../../src/kube/actions/guard.js';
import { shellInto } from '../../src/kube/actions/shell.js';
import { AuditLog } from '../../src/kube/audit.js';
import { KubeHttp } from '../../src/kube/http.js';
import { findKubectl, kubectlShellArgs, SHELL_CHECK } from '../../src/kube/kubectl.js';
import { createAppStore } from '../../src/store/app-store.js';

/** The built CLI (`npm test` builds first). */
const BIN = new URL('../../../../bin/daytwo.js', import.meta.url).pathname;

const kubectl = findKubectl();
if (!kubectl) console.log('shell.test: kubectl is not on the PATH: the shell tests that run it are skipped');

describe("kubectl exec's arguments", () => {
  it('are k9s\'s: exec -it -n NS POD --kubeconfig --context [-c] -- sh -c "bash, else sh"', () => {
    expect(kubectlShellArgs({ namespace: 'shop', name: 'web-1' }, 'app', '/tmp/k', 'ctx')).toEqual([
      'exec', '-it', '-n', 'shop', 'web-1', '--kubeconfig', '/tmp/k', '--context', 'ctx', '-c', 'app', '--', 'sh', '-c', SHELL_CHECK,
    ]);
    expect(SHELL_CHECK).toBe('command -v bash >/dev/null && exec bash || exec sh');
  });

  it('finds kubectl on PATH only', () => {
    expect(findKubectl({ PATH: '/nonexistent' })).toBeUndefined();
  });
});

describe.skipIf(!kubectl)('a shell in a pod through kubectl, against the simulated cluster', () => {
  // In its own process: kubectl runs with the terminal while this process waits for it.
  let sim: ChildProcess;
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'daytwo-shell-'));
    kubeconfig = path.join(dir, 'kubeconfig');
    sim = spawn(process.execPath, [BIN, 'sim', '--scenario', 'demo', '--port', '0', '--kubeconfig-out', kubeconfig], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      sim.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('kubeconfig:')) resolve();
      });
      sim.on('exit', (code) => reject(new Error(`daytwo sim exited with ${code} (run npm run build first): ${out}`)));
    });
  });
  afterAll(() => {
    sim?.kill('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });

  function envFor(context: string, readonly = false) {
    const audit = new AuditLog(path.join(dir, `${context}-${Math.random().toString(36).slice(2)}.log`));
    const handedOver: string[] = [];
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kc.setCurrentContext(context);
    const env = {
      kc,
      store: createAppStore({ context, readonly }),
      audit,
      terminal: {
        handOver<T>(run: () => T): T {
          handedOver.push(context);
          return run();
        },
      },
    };
    return { env, audit, handedOver };
  }

  async function pod() {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const http = new KubeHttp(kc);
    const list = await http.requestJson<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces/shop/pods');
    http.close();
    return { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: list.items[0].metadata.name };
  }

  it('hands the terminal to kubectl exec with a kubeconfig of its own context, removed after, and audits it', async () => {
    const { env, audit, handedOver } = envFor('daytwo-sim');
    const ref = await pod();
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('daytwo-kubectl-')).length;
    // The simulated cluster serves no exec stream (kubectl: NotFound): the console says how it ended.
    await expect(shellInto(env, ref, undefined, kubectl)).rejects.toThrow(`kubectl exec into pod/${ref.name} exited with 1`);
    expect(handedOver).toEqual(['daytwo-sim']);
    const lines = readFileSync(audit.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.target, l.phase, l.result])).toEqual([
      ['shell', `pod/${ref.name}`, 'start', undefined],
      ['shell', `pod/${ref.name}`, 'end', 'failed'],
    ]);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('daytwo-kubectl-')).length).toBe(before);
  });

  it('is refused to a viewer (no create pods/exec) and under --readonly, before kubectl runs', async () => {
    const ref = await pod();
    for (const [context, readonly, why] of [
      ['daytwo-sim-viewer', false, /shell refused: not allowed to create pods\/exec in shop named /],
      ['daytwo-sim', true, /shell refused: daytwo is read-only/],
    ] as const) {
      const { env, handedOver } = envFor(context, readonly);
      await expect(shellInto(env, ref, undefined, kubectl)).rejects.toThrow(ActionRefused);
      await expect(shellInto(env, ref, undefined, kubectl)).rejects.toThrow(why);
      expect(handedOver).toEqual([]);
    }
  });
});
