import { parseWorkloadArg, type WorkloadRef } from '../domain/workloads.js';

/**
 * What `openView('rollback', params)` takes: the workload, and whether the user asked for its
 * history (cursor on the current revision) or a rollback (cursor on the previous one).
 */
export interface RollbackViewParams extends WorkloadRef {
  readonly mode: 'history' | 'rollback';
}

/** The params if they name a workload, else undefined. */
export function parseRollbackParams(params: unknown): RollbackViewParams | undefined {
  const p = params as Partial<RollbackViewParams> | undefined;
  if (!p || typeof p.name !== 'string' || typeof p.namespace !== 'string') return undefined;
  if (p.kind !== 'Deployment' && p.kind !== 'StatefulSet' && p.kind !== 'DaemonSet') return undefined;
  return { kind: p.kind, namespace: p.namespace, name: p.name, mode: p.mode === 'rollback' ? 'rollback' : 'history' };
}

/** `:history KIND/NAME [-n NAMESPACE]` (the namespace defaults to the console's scope). */
export function rollbackCommandParams(args: string, scope: string | undefined): { params: RollbackViewParams } | { error: string } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  let namespace = scope;
  const at = words.findIndex((w) => w === '-n' || w === '--namespace');
  if (at >= 0) {
    namespace = words[at + 1];
    words.splice(at, 2);
  }
  if (words.length !== 1) return { error: 'usage: :history KIND/NAME [-n NAMESPACE]' };
  const parsed = parseWorkloadArg(words[0]);
  if ('error' in parsed) return { error: parsed.error };
  if (!namespace) return { error: `which namespace? :history ${words[0]} -n NAMESPACE (or scope the console with :ns NAME)` };
  return { params: { ...parsed, namespace, mode: 'history' } };
}
