/** The autoscaling/v1 Scale view of deployments, replicasets and statefulsets. */

import { labelSelectorString } from '@daytwo/k8s/label-selector.js';
import type { Deployment, ReplicaSet, Scale, StatefulSet } from '@daytwo/k8s/wire-types.js';

/** The kinds served with a scale subresource here. */
export type Scalable = Deployment | ReplicaSet | StatefulSet;

/** scaleFromDeployment / scaleFromReplicaSet / scaleFromStatefulSet. */
export function scaleOf(obj: Scalable): Scale {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: labelSelectorString(obj.spec?.selector) },
  };
}
