import type { KubeSession } from '../kube/session.js';
import { type DeniedKind, deniedKinds } from '../store/denied-kinds.js';
import type { KindName } from '../domain/kinds.js';

/** How long a command waits for its lists before it gives up. */
export const SYNC_TIMEOUT_MS = 60_000;

/**
 * Waits until `kinds` are listed, as a one-shot command does: it fails as soon as the server
 * is known to be unreachable (the console, by contrast, stays up and retries), and returns
 * the kinds the server refused to list, which the command must report rather than print
 * what it did not read as empty.
 */
export async function syncForCommand(session: KubeSession, kinds: readonly KindName[]): Promise<DeniedKind[]> {
  await Promise.race([session.waitForSync(kinds, SYNC_TIMEOUT_MS), failWhenUnreachable(session), failWhenUnauthorized(session, kinds)]);
  const { connection, cluster } = session.store.getState();
  return deniedKinds(connection, kinds, cluster.namespace);
}

/** kubectl's lines for lists the server refused. */
export function writeDenied(denied: readonly DeniedKind[]): void {
  for (const d of denied) process.stderr.write(`Error from server (Forbidden): ${d.message}\n`);
}

/** A command gives up at the first refusal of its credentials, as kubectl does (it would only be retried). */
function failWhenUnauthorized(session: KubeSession, kinds: readonly KindName[]): Promise<never> {
  return new Promise((_, reject) => {
    const check = () => {
      const { connection } = session.store.getState();
      const refused = kinds.map((k) => connection[k]).find((c) => c.state === 'unauthorized');
      if (!refused) return;
      unsubscribe();
      reject(new Error(refused.error ?? 'Unauthorized'));
    };
    const unsubscribe = session.store.subscribe(check);
  });
}

function failWhenUnreachable(session: KubeSession): Promise<never> {
  return new Promise((_, reject) => {
    const check = () => {
      const { cluster } = session.store.getState();
      if (cluster.reachable) return;
      unsubscribe();
      // The kinds record their errors right after the verdict: read them once they have.
      setImmediate(() => {
        const error = Object.values(session.store.getState().connection).find((c) => c.error)?.error ?? 'no answer';
        reject(new Error(`cannot reach the API server ${cluster.server} (context ${cluster.context}): ${error}`));
      });
    };
    const unsubscribe = session.store.subscribe(check);
  });
}
