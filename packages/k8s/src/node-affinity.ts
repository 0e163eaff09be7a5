/**
 * Node selection as the scheduler's NodeAffinity filter applies it: `spec.nodeSelector` and
 * required node affinity (component-helpers/scheduling/corev1/nodeaffinity).
 */

import type { KubeObject } from './kube-object.js';
import { parseInt64 } from './label-selector.js';
import type { Pod } from './wire-types.js';

/** A node selector requirement (`matchExpressions` / `matchFields` entry). */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** One `nodeSelectorTerms` entry. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

function requirementMatchesValue(req: NodeSelectorRequirement, has: boolean, value: string | undefined): boolean {
  const values = req.values ?? [];
  // A requirement labels.NewRequirement rejects (In without values, Exists with values)
  // makes its whole term fail to match.
  switch (req.operator) {
    case 'In':
      return values.length > 0 && has && values.includes(value!);
    case 'NotIn':
      return values.length > 0 && (!has || !values.includes(value!));
    case 'Exists':
      return values.length === 0 && has;
    case 'DoesNotExist':
      return values.length === 0 && !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const actual = parseInt64(value!);
      const bound = parseInt64(values[0]);
      if (actual === undefined || bound === undefined) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/**
 * One nodeSelectorTerm against a node (component-helpers/scheduling/corev1/nodeaffinity):
 * matchExpressions on labels and matchFields on `metadata.name` (In/NotIn) are ANDed; a term
 * with neither matches nothing.
 */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const req of exprs) {
    if (!requirementMatchesValue(req, Object.hasOwn(labels, req.key), labels[req.key])) return false;
  }
  for (const req of fields) {
    if (req.key !== 'metadata.name' || (req.operator !== 'In' && req.operator !== 'NotIn')) return false;
    if ((req.values ?? []).length !== 1) return false;
    if (!requirementMatchesValue(req, true, node.metadata?.name ?? '')) return false;
  }
  return true;
}

/**
 * The NodeAffinity filter: every `spec.nodeSelector` label must be on the node, and when
 * required node affinity is set, at least one of its terms must match (terms are ORed).
 */
export function matchesNodeSelectorAndAffinity(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata?.labels ?? {};
  const spec = (pod as Pod).spec;
  for (const [key, value] of Object.entries(spec?.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  const terms: NodeSelectorTerm[] = required.nodeSelectorTerms ?? [];
  return terms.some((t) => nodeSelectorTermMatches(t, node));
}
