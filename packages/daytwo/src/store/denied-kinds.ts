import type { KindConnection } from './app-store.js';
import type { KindName } from '../domain/kinds.js';

/** A kind the server refuses to list (403), with the server's message. */
export interface DeniedKind {
  readonly kind: KindName;
  /** The Status message, e.g. `pods is forbidden: User "x" cannot list resource "pods" ...`. */
  readonly message: string;
}

/**
 * The kinds among `kinds` whose watch is forbidden. Under `-n` (`namespace`), a forbidden
 * namespace list is not a gap: the session shows the `-n` namespace itself instead.
 */
export function deniedKinds(
  connection: Readonly<Record<KindName, KindConnection>>,
  kinds: readonly KindName[],
  namespace?: string,
): DeniedKind[] {
  return kinds
    .filter((k) => connection[k].state === 'forbidden' && !(k === 'namespaces' && namespace))
    .map((k) => ({ kind: k, message: connection[k].error ?? `${k} is forbidden` }));
}
