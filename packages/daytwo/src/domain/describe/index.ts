/**
 * `kubectl describe` for the object under the cursor: Pod, Node, Deployment, ReplicaSet,
 * DaemonSet, StatefulSet, Job, CronJob, Service, ConfigMap, PersistentVolumeClaim, Ingress
 * and Secret as kubectl's own describers print them, any other kind (a custom resource of
 * the same kind name in another group too) as its generic describer does.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { ConfigMap, CoreEvent, CronJob, DaemonSet, EndpointSlice, Ingress, Job, PersistentVolumeClaim, Pod, ReplicaSet, Service, StatefulSet } from '@daytwo/k8s/wire-types.js';
import { type ControllerPods, describeDaemonSet, describeReplicaSet, describeStatefulSet } from './controllers.js';
import { describeDeployment } from './deployment.js';
import { describeGeneric, describeSecret } from './generic.js';
import { type BackendService, describeIngress } from './ingress.js';
import { describeCronJob, describeJob } from './jobs.js';
import { describeNode } from './node.js';
import { describePod } from './pod.js';
import { describePersistentVolumeClaim } from './pvc.js';
import { describeConfigMap, describeService } from './service.js';
import { DescribeWriter } from './writer.js';

/** What describing an object needs besides the object; the kube layer fetches it. */
export interface DescribeInputs {
  /** The whole object as the API server returns it. */
  readonly object: KubeObject;
  /** Events about it (kubectl's fieldSelector on involvedObject); undefined when they could not be read. */
  readonly events?: readonly CoreEvent[];
  /** A Node's pods that have not finished, or a PersistentVolumeClaim's namespace's pods; undefined when pods may not be listed. */
  readonly pods?: readonly Pod[];
  /** A Deployment's ReplicaSets. */
  readonly replicaSets?: readonly ReplicaSet[];
  /** A ReplicaSet's, DaemonSet's or StatefulSet's pods, listed with its selector, or why they could not be. */
  readonly controllerPods?: ControllerPods;
  /** A Service's EndpointSlices (label kubernetes.io/service-name); empty when they could not be read, as kubectl ignores that error. */
  readonly endpointSlices?: readonly EndpointSlice[];
  /** An Ingress's backend services by name, each with its EndpointSlices, or the error reading them. */
  readonly backendServices?: ReadonlyMap<string, BackendService>;
}

/** Kinds whose describer counts the pods they control by phase (`Pods Status:`). */
const POD_CONTROLLERS = ['ReplicaSet', 'DaemonSet', 'StatefulSet'];

/** The API group of each kind with a describer of its own (kubectl's `DescriberFor` is keyed by group and kind). */
const DESCRIBED: Readonly<Record<string, string>> = {
  Pod: '',
  Node: '',
  Secret: '',
  Service: '',
  ConfigMap: '',
  PersistentVolumeClaim: '',
  Deployment: 'apps',
  ReplicaSet: 'apps',
  DaemonSet: 'apps',
  StatefulSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
  Ingress: 'networking.k8s.io',
};

/** The kind whose own describer prints the object, or undefined for the generic one. */
function describedKind(kind: string | undefined, apiVersion: string | undefined): string | undefined {
  if (!kind || !(kind in DESCRIBED)) return undefined;
  const slash = (apiVersion ?? '').indexOf('/');
  const group = slash < 0 ? '' : (apiVersion ?? '').slice(0, slash);
  return DESCRIBED[kind] === group ? kind : undefined;
}

/** Which related lists the describer of `kind` (in `apiVersion`'s group) reads. */
export function describeNeeds(
  kindName: string,
  apiVersion?: string,
): {
  events: boolean;
  pods: boolean;
  replicaSets: boolean;
  controllerPods: boolean;
  endpointSlices: boolean;
  backendServices: boolean;
} {
  // Without an apiVersion the kind is taken as the built-in one.
  const kind = apiVersion === undefined ? kindName : (describedKind(kindName, apiVersion) ?? '');
  return {
    events: kind !== 'Secret',
    pods: kind === 'Node' || kind === 'PersistentVolumeClaim',
    replicaSets: kind === 'Deployment',
    controllerPods: POD_CONTROLLERS.includes(kind),
    endpointSlices: kind === 'Service',
    backendServices: kind === 'Ingress',
  };
}

/** The describe text, one string per line. Never contains a Secret's values. */
export function describeObject(inputs: DescribeInputs, now: number = Date.now()): string[] {
  const w = new DescribeWriter();
  const { object: obj } = inputs;
  switch (describedKind(obj.kind, obj.apiVersion)) {
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
    case 'ReplicaSet':
      describeReplicaSet(w, obj as ReplicaSet, inputs.controllerPods, inputs.events, now);
      break;
    case 'DaemonSet':
      describeDaemonSet(w, obj as DaemonSet, inputs.controllerPods, inputs.events, now);
      break;
    case 'StatefulSet':
      describeStatefulSet(w, obj as StatefulSet, inputs.controllerPods, inputs.events, now);
      break;
    case 'Service':
      describeService(w, obj as Service, inputs.endpointSlices ?? [], inputs.events, now);
      break;
    case 'ConfigMap':
      describeConfigMap(w, obj as ConfigMap, inputs.events, now);
      break;
    case 'PersistentVolumeClaim':
      describePersistentVolumeClaim(w, obj as PersistentVolumeClaim, inputs.pods, inputs.events, now);
      break;
    case 'Ingress':
      describeIngress(w, obj as Ingress, inputs.backendServices ?? new Map(), inputs.events, now);
      break;
    case 'Job':
      describeJob(w, obj as Job, inputs.events, now);
      break;
    case 'CronJob':
      describeCronJob(w, obj as CronJob, inputs.events, now);
      break;
    default:
      describeGeneric(w, obj, inputs.events, now);
  }
  return w.text();
}
