/**
 * Label and field selectors as the API server parses and matches them. Label selectors are
 * @daytwo/k8s/label-selector's (shared with the product), answered here as 400s; field selectors follow
 * k8s.io/apimachinery/pkg/fields/selector.go plus the per-kind field label conversions
 * registered by the API server (pkg/apis/core/v1/conversion.go and friends).
 */

import {
  type LabelSelector as K8sLabelSelector,
  labelSelectorAsRequirements,
  parseSelector,
  type Requirement,
  SelectorParseError,
} from '@daytwo/k8s/label-selector.js';
import type { CoreEvent, Job, Node, Pod, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import { badRequest } from './errors.js';
import type { GroupResource, KubeObject } from './types.js';

/** A parsed label selector. `null` is upstream's `Nothing()`: it matches no object. */
export type LabelSelector = Requirement[] | null;

/** The API server's answer to a selector that does not parse: 400 with the parser's message. */
function asBadRequest<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SelectorParseError) throw badRequest(err.message);
    throw err;
  }
}

/** `labels.Parse` of a `labelSelector` query parameter; throws a 400 BadRequest ApiError. */
export function parseLabelSelector(selector: string): Requirement[] {
  return asBadRequest(() => parseSelector(selector));
}

/** `LabelSelectorAsSelector` of a metav1.LabelSelector; throws a 400 BadRequest ApiError when it is invalid. */
export function labelSelectorFromObject(selector: K8sLabelSelector | null | undefined): LabelSelector {
  return asBadRequest(() => labelSelectorAsRequirements(selector));
}

// ---------------------------------------------------------------------------
// Field selectors

/** One term of a field selector: `field=value` or `field!=value`. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/**
 * Parses a field selector (`metadata.name=web,status.phase!=Running`; `\,`, `\=` and `\\`
 * escape). With `gr`, every field must be one the API server supports for that resource,
 * else 400 with the server's message (`field label not supported: x`). Throws 400 ApiErrors.
 */
export function parseFieldSelector(selector: string, gr?: GroupResource): FieldRequirement[] {
  const terms = splitTerms(selector).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const value = unescapeFieldValue(split.rhs);
    requirements.push({ field: split.lhs, operator: split.op === '!=' ? '!=' : '=', value });
  }
  if (gr !== undefined) {
    for (const r of requirements) checkFieldSupported(gr, r.field);
  }
  return requirements;
}

function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    if (escaped) {
      escaped = false;
    } else if (selector[i] === '\\') {
      escaped = true;
    } else if (selector[i] === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Field labels per resource, from the conversion functions the API server registers
 * (pkg/apis/core/v1/conversion.go, apps/v1, batch/v1). Resources not listed accept only
 * metadata.name and metadata.namespace, with runtime.DefaultMetaV1FieldSelectorConversion's message.
 */
const FIELD_LABELS: Record<GroupResource, string[]> = {
  pods: [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  nodes: ['metadata.name', 'spec.unschedulable'],
  namespaces: ['metadata.name', 'status.phase'],
  secrets: ['metadata.name', 'metadata.namespace', 'type'],
  events: [
    'metadata.name',
    'metadata.namespace',
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  replicationcontrollers: ['metadata.name', 'metadata.namespace', 'status.replicas'],
  'apps/replicasets': ['metadata.name', 'metadata.namespace', 'status.replicas'],
  'batch/jobs': ['metadata.name', 'metadata.namespace', 'status.successful'],
};

function checkFieldSupported(gr: GroupResource, field: string): void {
  const supported = FIELD_LABELS[gr];
  if (supported) {
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return;
  }
  if (field !== 'metadata.name' && field !== 'metadata.namespace') {
    throw badRequest(`${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
}

/** The value a field label has on an object, as the server's field set renders it (absent -> ''). */
export function fieldValue(obj: KubeObject, field: string): string {
  switch (field) {
    case 'metadata.name':
      return obj.metadata?.name ?? '';
    case 'metadata.namespace':
      return obj.metadata?.namespace ?? '';
    case 'spec.hostNetwork':
      return String(Boolean((obj as Pod).spec?.hostNetwork));
    case 'spec.unschedulable':
      return String(Boolean((obj as Node).spec?.unschedulable));
    case 'status.podIPs':
      // The pod field set holds only the primary IP (pkg/registry/core/pod/strategy.go podIPs).
      return (obj as Pod).status?.podIPs?.[0]?.ip ?? '';
    case 'source':
      return (obj as CoreEvent).source?.component ?? '';
    case 'status.replicas':
      return String((obj as ReplicaSet).status?.replicas ?? 0);
    case 'status.successful':
      // The label and the field differ: JobToSelectableFields reads Status.Succeeded.
      return String((obj as Job).status?.succeeded ?? 0);
    default: {
      let value: unknown = obj;
      for (const part of field.split('.')) {
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
      }
      return value === undefined || value === null ? '' : String(value);
    }
  }
}

/** Whether an object satisfies every term of a parsed field selector. */
export function matchesFieldSelector(selector: FieldRequirement[], obj: KubeObject): boolean {
  for (const r of selector) {
    const equal = fieldValue(obj, r.field) === r.value;
    if (r.operator === '=' ? !equal : equal) return false;
  }
  return true;
}
