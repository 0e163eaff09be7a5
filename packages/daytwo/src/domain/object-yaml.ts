/**
 * The YAML of an object as `kubectl get -o yaml` shows it, with a Secret's values masked:
 * `data` and `stringData` values, and the last-applied annotation that holds them in
 * plain text after a `kubectl apply`.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { stringify } from 'yaml';
import { redactManifest } from './drift/normalize.js';
import { REDACTED } from './drift/types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Whether an object holds values that are never shown unless revealed. */
export function holdsSecretValues(obj: { kind?: string }): boolean {
  return obj.kind === 'Secret';
}

/** The object with every Secret value replaced by `<redacted>`; other kinds are returned as they are. */
export function maskSecretValues(obj: KubeObject): KubeObject {
  if (!holdsSecretValues(obj)) return obj;
  const masked = redactManifest(obj);
  const annotations = obj.metadata?.annotations;
  if (annotations?.[LAST_APPLIED] === undefined) return masked;
  return { ...masked, metadata: { ...obj.metadata, annotations: { ...annotations, [LAST_APPLIED]: REDACTED } } };
}

/** Keys sorted at every level, as sigs.k8s.io/yaml prints the JSON kubectl reads. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}

/**
 * YAML lines of an object as `kubectl get -o yaml` prints them: keys sorted, long strings on
 * one line, and without `metadata.managedFields` (kubectl's `--show-managed-fields=false`).
 */
export function objectYaml(obj: KubeObject): string[] {
  const { managedFields: _mf, ...metadata } = obj.metadata ?? {};
  return stringify(sortedKeys({ ...obj, ...(obj.metadata ? { metadata } : {}) }), { lineWidth: 0 })
    .trimEnd()
    .split('\n');
}
