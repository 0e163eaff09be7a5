/**
 * What counts as "the same value" when Git is compared with the API server's answer: the
 * server canonicalizes quantities, fills defaults, drops zero values of `omitempty` fields
 * and stores Secret `stringData` base64-encoded in `data`.
 */
import { quantitiesEqual, tryParseQuantity } from '@daytwo/k8s/quantity.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { type FieldSchema, type ListSemantics, schemaAt } from './api-schema.js';
import { REDACTED } from './types.js';


/** Defaults of list-map key fields that a manifest may leave out (core/v1 defaults.go: Protocol TCP). */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

export type { ListSemantics } from './api-schema.js';

/**
 * The list semantics of the field at `[...parents, field]` (field names from the root) of a
 * kind whose schema is `root` (see `api-schema.ts`). Lists the schema does not name, and
 * every list of a kind it does not describe (custom resources: atomic unless their CRD
 * says otherwise, which daytwo does not read), are compared by position.
 */
export function listSemantics(root: FieldSchema | undefined, parents: readonly string[], field: string): ListSemantics {
  if (field === 'finalizers' && parents.length === 1 && parents[0] === 'metadata') return 'set';
  return schemaAt(root, [...parents, field])?.list ?? 'atomic';
}

/** The key of a list item under `keys`, with defaulted key fields filled in; undefined when a key field is missing. */
export function itemKey(item: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (item as Record<string, unknown>)[k] ?? KEY_DEFAULTS[k];
    if (v === undefined) return undefined;
    out[k] = v;
  }
  return out;
}

/**
 * String maps applied whole, compared whole: an extra live key is drift because applying
 * Git would remove it (`+mapType=atomic` maps, and `matchLabels` of the `+structType=atomic`
 * LabelSelector, which custom resources embed too).
 */
export function isExactMap(root: FieldSchema | undefined, parents: readonly string[], field: string): boolean {
  if (field === 'matchLabels') return true;
  if (root) return schemaAt(root, [...parents, field])?.exact === true;
  return field === 'nodeSelector';
}

/** Maps of resource quantities, by name, for kinds the schema does not describe. */
const RESOURCE_LISTS = new Set(['requests', 'limits', 'hard', 'capacity', 'allocatable', 'overhead', 'default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio']);

/**
 * Whether the value at a field is a resource.Quantity, which the API server canonicalizes:
 * from the schema for built-in kinds; by name for others (ResourceList parents and `sizeLimit`).
 */
export function isQuantityField(root: FieldSchema | undefined, parents: readonly string[], field: string): boolean {
  if (root) return schemaAt(root, [...parents, field])?.quantity === true;
  return field === 'sizeLimit' || (parents.length > 0 && RESOURCE_LISTS.has(parents[parents.length - 1]));
}

/** intstr.IntOrString fields: ports of Services and probes, rollout and PDB budgets. */
const INT_OR_STRING = new Set(['targetPort', 'port', 'maxSurge', 'maxUnavailable', 'minAvailable', 'partition']);

/**
 * Whether two leaf values are equal for the API server: quantities by amount (`500m` =
 * `0.5`, `1Gi` = `1024Mi`), int-or-string fields by text (`8080` = `"8080"`), everything
 * else strictly.
 */
export function leafEqual(root: FieldSchema | undefined, parents: readonly string[], field: string, git: unknown, live: unknown): boolean {
  if (git === live) return true;
  if (isQuantityField(root, parents, field) && (typeof git === 'string' || typeof git === 'number') && (typeof live === 'string' || typeof live === 'number')) {
    const a = tryParseQuantity(git);
    const b = tryParseQuantity(live);
    return a !== undefined && b !== undefined && quantitiesEqual(a, b);
  }
  if (INT_OR_STRING.has(field) && (typeof git === 'number' || typeof git === 'string') && (typeof live === 'number' || typeof live === 'string')) {
    return String(git) === String(live);
  }
  return false;
}

/**
 * Zero values Go's `omitempty` drops on the way out of the API server (`""`, `0`, `false`,
 * empty maps and lists) and `null`: Git writing one where the live object has nothing is
 * not drift.
 */
export function isZeroValue(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Canonical base64 of a Secret value (decoded and re-encoded), so padding and line breaks do not count. */
function canonicalBase64(v: unknown): unknown {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('base64') : v;
}

/**
 * A manifest as the API server would store it, for the fields the comparison reads:
 * Secret `stringData` moved into `data` (k8s.io/kubernetes pkg/apis/core/v1 conversion.go,
 * Convert_v1_Secret_To_core_Secret: stringData wins over data), base64 made canonical.
 */
export function normalizeManifest(manifest: KubeObject): KubeObject {
  if (manifest.kind !== 'Secret' || manifest.apiVersion !== 'v1') return manifest;
  const { stringData, ...rest } = manifest as KubeObject & { stringData?: unknown; data?: unknown };
  const data: Record<string, unknown> = {};
  if (isRecord(rest.data)) for (const [k, v] of Object.entries(rest.data)) data[k] = canonicalBase64(v);
  if (isRecord(stringData)) for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  return Object.keys(data).length > 0 || rest.data !== undefined ? { ...rest, data } : rest;
}

/** The live counterpart of {@link normalizeManifest}. */
export function normalizeLive(live: KubeObject): KubeObject {
  const liveData = (live as { data?: unknown }).data;
  if (live.kind !== 'Secret' || !isRecord(liveData)) return live;
  const data = Object.fromEntries(Object.entries(liveData).map(([k, v]) => [k, canonicalBase64(v)]));
  return { ...live, data } as KubeObject;
}

/** Whether the value at a path is a secret value that must never be shown. */
export function isSecretValue(kind: string, parents: readonly string[], field: string): boolean {
  if (kind !== 'Secret') return false;
  return (parents.length === 0 && (field === 'data' || field === 'stringData')) || (parents.length === 1 && (parents[0] === 'data' || parents[0] === 'stringData'));
}

/** A manifest safe to show: Secret `data` and `stringData` values replaced by `<redacted>`. */
export function redactManifest(manifest: KubeObject): KubeObject {
  if (manifest.kind !== 'Secret') return manifest;
  const out: KubeObject = { ...manifest };
  for (const field of ['data', 'stringData']) {
    const values = out[field];
    if (isRecord(values)) out[field] = Object.fromEntries(Object.keys(values).map((k) => [k, REDACTED]));
  }
  return out;
}
