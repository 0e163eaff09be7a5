/** The autoscaling/v1 Scale view of deployments, replicasets and statefulsets. */

import { type LabelSelectorObject, labelSelectorFromObject } from '../selectors.js';
import type { KubeObject } from '../types.js';

/**
 * A label selector in its string form, as labels.Selector.String() prints it after
 * LabelSelectorAsSelector: requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`.
 */
export function selectorString(selector: LabelSelectorObject | null | undefined): string {
  let requirements: ReturnType<typeof labelSelectorFromObject>;
  try {
    requirements = labelSelectorFromObject(selector);
  } catch {
    return '';
  }
  if (!requirements) return '';
  return requirements
    .map((r) => {
      const values = [...r.values].sort();
      switch (r.operator) {
        case '=':
        case '==':
          return `${r.key}=${values[0]}`;
        case '!=':
          return `${r.key}!=${values[0]}`;
        case 'in':
          return `${r.key} in (${values.join(',')})`;
        case 'notin':
          return `${r.key} notin (${values.join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        default:
          return `${r.key}${r.operator === 'gt' ? '>' : '<'}${values[0]}`;
      }
    })
    .join(',');
}

/** scaleFromDeployment / scaleFromReplicaSet / scaleFromStatefulSet. */
export function scaleOf(obj: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: selectorString(obj.spec?.selector) },
  };
}
