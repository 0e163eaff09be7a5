/** The autoscaling/v1 Scale view of deployments, replicasets and statefulsets. */

import { labelSelectorString } from '@daytwo/k8s/label-selector.js';
import type { KubeObject } from '../types.js';

/** scaleFromDeployment / scaleFromReplicaSet / scaleFromStatefulSet. */
export function scaleOf(obj: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: labelSelectorString(obj.spec?.selector) },
  };
}
