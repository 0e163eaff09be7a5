/**
 * `kubectl describe` for the object under the cursor: Pod, Node, Deployment and Secret as
 * kubectl's own describers print them, any other kind as its generic describer does.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { CoreEvent, Pod, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import { describeDeployment } from './deployment.js';
import { describeGeneric, describeSecret } from './generic.js';
import { describeNode } from './node.js';
import { describePod } from './pod.js';
import { DescribeWriter } from './writer.js';

/** What describing an object needs besides the object; the kube layer fetches it. */
export interface DescribeInputs {
  /** The whole object as the API server returns it. */
  readonly object: KubeObject;
  /** Events about it (kubectl's fieldSelector on involvedObject); undefined when they could not be read. */
  readonly events?: readonly CoreEvent[];
  /** A Node's pods that have not finished; undefined when pods may not be listed. */
  readonly pods?: readonly Pod[];
  /** A Deployment's ReplicaSets. */
  readonly replicaSets?: readonly ReplicaSet[];
}

/** Which related lists the describer of `kind` reads. */
export function describeNeeds(kind: string): { events: boolean; pods: boolean; replicaSets: boolean } {
  return { events: kind !== 'Secret', pods: kind === 'Node', replicaSets: kind === 'Deployment' };
}

/** The describe text, one string per line. Never contains a Secret's values. */
export function describeObject(inputs: DescribeInputs, now: number = Date.now()): string[] {
  const w = new DescribeWriter();
  const { object: obj } = inputs;
  switch (obj.kind) {
    case 'Pod':
      describePod(w, obj, inputs.events, now);
      break;
    case 'Node':
      describeNode(w, obj, inputs.pods, inputs.events, now);
      break;
    case 'Deployment':
      describeDeployment(w, obj, inputs.replicaSets, inputs.events, now);
      break;
    case 'Secret':
      describeSecret(w, obj);
      break;
    default:
      describeGeneric(w, obj, inputs.events, now);
  }
  return w.text();
}
