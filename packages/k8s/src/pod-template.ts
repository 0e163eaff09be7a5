/**
 * Pod templates as the workload controllers and kubectl compare them: `apiequality.Semantic`
 * equality and `deploymentutil.EqualIgnoreHash` (k8s.io/kubernetes pkg/controller/deployment/util).
 */
import { quantitiesEqual, tryParseQuantity } from './quantity.js';

/** The label the Deployment controller adds to each ReplicaSet's template. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/**
 * A pod template as JSON (`spec.template`) as clients and controllers write and compare it:
 * loosely, since it may carry Go's zero values (`creationTimestamp: null`) and patch
 * directives (`$patch`) that the wire types have no room for.
 */
export interface PodTemplate {
  $patch?: string;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string | null; [field: string]: unknown };
  spec?: { containers?: TemplateContainer[]; initContainers?: TemplateContainer[]; [field: string]: unknown };
}

/** A container of a {@link PodTemplate}: the fields compared by name, the rest as written. */
export interface TemplateContainer {
  name?: string;
  image?: string;
  [field: string]: unknown;
}

// Resource lists whose values are quantities, compared by value as apiequality.Semantic does.
const QUANTITY_MAPS = new Set(['requests', 'limits', 'overhead', 'capacity', 'allocatable']);

function isEmptyValue(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
  );
}

/**
 * Deep equality of API JSON in the spirit of `apiequality.Semantic.DeepEqual`: quantities
 * compare by value (`500m` == `0.5`), and null, absent, empty lists and empty maps are
 * equal (Go decodes all of them to nil/empty; a pointer to an empty struct is the one
 * case this treats as equal where Go would not). So a template a client wrote with Go's
 * zero values (kubectl's rollback patch: `creationTimestamp: null`, `resources: {}`) equals
 * the one without them.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return equalValues(a, b, 'plain');
}

/** What a value holds: plain JSON, a quantity, or a map of quantities (a ResourceList). */
type ValueKind = 'plain' | 'quantity' | 'quantityMap';

function childKind(parent: ValueKind, key: string): ValueKind {
  if (parent === 'quantityMap' || key === 'sizeLimit') return 'quantity';
  return QUANTITY_MAPS.has(key) ? 'quantityMap' : 'plain';
}

function equalValues(a: unknown, b: unknown, kind: ValueKind): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return true;
    if (kind !== 'quantity') return false;
    const qa = tryParseQuantity(a);
    const qb = tryParseQuantity(b);
    return !!qa && !!qb && quantitiesEqual(qa, qb);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => equalValues(item, b[i], 'plain'));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const key of keys) if (!equalValues(ra[key], rb[key], childKind(kind, key))) return false;
    return true;
  }
  return a === b;
}

/** A deep copy of the template without the `pod-template-hash` label (dropping `labels` if that empties it). */
export function withoutHashLabel(template: PodTemplate | undefined): PodTemplate {
  const copy: PodTemplate = structuredClone(template ?? {});
  const labels = copy.metadata?.labels;
  if (labels && Object.hasOwn(labels, POD_TEMPLATE_HASH_LABEL)) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(labels).length === 0) delete copy.metadata?.labels;
  }
  return copy;
}

/** `deploymentutil.EqualIgnoreHash`: templates equal apart from the `pod-template-hash` label. */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return semanticEqual(withoutHashLabel(a), withoutHashLabel(b));
}
