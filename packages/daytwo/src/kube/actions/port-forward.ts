/**
 * Port-forwards, as k9s offers them (Shift-F, `:pf`), each a `kubectl port-forward` child
 * process with a private kubeconfig of the session's context (as shell.ts passes it).
 * Starting one is guarded (RBAC: create pods/portforward; allowed under --readonly, as k9s
 * allows it: nothing in the cluster changes) and audited; so is stopping one. Every one is
 * stopped when the console quits or changes context, and killed if the process exits anyway.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { refName } from '../../domain/object-ref.js';
import {
  forwardTarget,
  kubectlPortForwardArgs,
  type PortForwardRequest,
  parseForwardingLine,
  portForwardId,
  portPair,
} from '../../domain/port-forward.js';
import { createPortForwardsStore, type PortForwards } from '../../store/port-forwards.js';
import { privateKubeconfig } from '../kubectl.js';
import { type ActionEnv, runGuarded } from './guard.js';

interface Running {
  readonly child: ChildProcess;
  /** Resolves once kubectl has exited and its output is read. */
  readonly closed: Promise<void>;
  stopping: boolean;
}

/** Why port-forwards cannot run here, if they cannot. */
export function portForwardUnavailable(kubectl: string | undefined): string | undefined {
  return kubectl ? undefined : 'a port-forward needs kubectl on the PATH, and there is none';
}

/** The port-forwards of one session. */
export function createPortForwards(env: ActionEnv, kubectl: string | undefined): PortForwards {
  const store = createPortForwardsStore();
  const running = new Map<string, Running>();
  const unavailable = portForwardUnavailable(kubectl);
  // A console that ends without quitting (an uncaught error, process.exit) leaves no kubectl behind.
  const killOnExit = () => {
    for (const r of running.values()) r.child.kill('SIGTERM');
  };
  const untrack = (id: string) => {
    running.delete(id);
    if (running.size === 0) process.off('exit', killOnExit);
  };

  function launch(id: string, request: PortForwardRequest, kubectl: string): Promise<string> {
    const config = privateKubeconfig(env.kc);
    const child = spawn(kubectl, kubectlPortForwardArgs(request, config.file, env.kc.getCurrentContext()), { stdio: ['ignore', 'pipe', 'pipe'] });
    if (running.size === 0) process.on('exit', killOnExit);
    store.getState().put({
      id,
      ref: request.ref,
      ...(request.container ? { container: request.container } : {}),
      remotePort: request.remotePort,
      ...(request.localPort !== undefined ? { localPort: request.localPort } : {}),
      address: request.address,
      listening: [],
      state: 'starting',
      startedAt: Date.now(),
    });
    return new Promise<string>((resolve, reject) => {
      let started = false;
      let lastError: string | undefined;
      const closed = new Promise<void>((done) => {
        child.on('close', (code, signal) => {
          config.remove();
          const entry = running.get(id);
          untrack(id);
          done();
          if (entry?.stopping) return;
          const why = lastError ?? `kubectl port-forward exited with ${code ?? signal}`;
          if (started) store.getState().update(id, { state: 'ended', lastError: why });
          else {
            store.getState().remove(id);
            reject(new Error(why));
          }
        });
      });
      running.set(id, { child, closed, stopping: false });
      child.on('error', (err) => {
        lastError = err.message;
        // kubectl could not be started: no 'close' may follow.
        if (child.pid === undefined && !started) {
          config.remove();
          untrack(id);
          store.getState().remove(id);
          reject(err);
        }
      });
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const forwarding = parseForwardingLine(line);
        if (!forwarding) return;
        const entry = store.getState().entries.get(id);
        store.getState().update(id, { state: 'forwarding', localPort: forwarding.localPort, listening: [...(entry?.listening ?? []), forwarding.listen] });
        if (!started) {
          started = true;
          resolve(line.trim());
        }
      });
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
        if (!line.trim()) return;
        lastError = line.trim();
        store.getState().update(id, { lastError });
      });
    });
  }

  async function stop(id: string): Promise<string> {
    const entry = store.getState().entries.get(id);
    if (!entry) throw new Error(`no port-forward ${id}`);
    const target = refName(entry.ref);
    const ports = `${entry.localPort ?? ''}:${entry.remotePort}`;
    return runGuarded(env, { action: 'port-forward-stop', target, options: { ports, address: entry.address }, requires: [], allowedReadonly: true }, async () => {
      const r = running.get(id);
      if (r) {
        r.stopping = true;
        r.child.kill('SIGTERM');
        await r.closed;
      }
      store.getState().remove(id);
      return `port-forward ${ports} to ${forwardTarget(entry.ref)} stopped`;
    });
  }

  return {
    store,
    ...(unavailable ? { unavailable } : {}),
    async start(request) {
      if (!kubectl) throw new Error(unavailable);
      const target = forwardTarget(request.ref);
      const namespace = request.ref.namespace;
      if (!target || !namespace) throw new Error(`cannot port-forward to ${request.ref.kind} ${request.ref.name}: pods, services, deployments, statefulsets and daemonsets only`);
      const id = portForwardId(request);
      if (running.has(id)) throw new Error(`port-forward ${portPair(request)} to ${target} is already active`);
      // kubectl resolves a service or workload to one of its pods: the name is known only for a pod.
      const requires = [
        { verb: 'create', group: '', resource: 'pods', subresource: 'portforward', namespace, ...(request.ref.kind === 'Pod' ? { name: request.ref.name } : {}) },
      ];
      const options = { ports: portPair(request), address: request.address, ...(request.container ? { container: request.container } : {}) };
      return runGuarded(env, { action: 'port-forward', target: refName(request.ref), options, requires, allowedReadonly: true }, () =>
        launch(id, request, kubectl),
      );
    },
    stop,
    async stopAll() {
      await Promise.all([...store.getState().entries.keys()].map((id) => stop(id).catch(() => undefined)));
    },
  };
}
