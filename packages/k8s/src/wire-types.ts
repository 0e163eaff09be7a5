/**
 * Typed views of the kinds daytwo and the simulated cluster read, as they travel on the wire:
 * client-node's OpenAPI-generated models with every `Date` turned back into the RFC 3339
 * string the JSON carries, and `metadata` as this package's `ObjectMeta`. Only types: an
 * object from a list or a watch is narrowed with `as Pod` (etc.) where its kind is known
 * from the collection it came from, never converted.
 */

import type * as k from '@kubernetes/client-node';
import type { KubeObject } from './kube-object.js';

/** A client-node model as plain JSON: `Date` → string and property names as JSON spells them, recursively. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T as JsonName<K>]: Wire<T[K]> }
      : T;

/**
 * client-node's generator renames JSON fields that are TypeScript reserved words or not
 * identifiers: `_default`, `_continue`, `_from`, `_enum`, `_int` (JSON `default`, …) and
 * `x_kubernetes_*` (JSON `x-kubernetes-*`).
 */
type JsonName<K> = K extends `_${infer Name}` ? Name : K extends `x_kubernetes_${string}` ? Dashed<K> : K;
type Dashed<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}-${Dashed<Tail>}` : S;

/** A kind's wire shape that is also a `KubeObject` (store key, metadata). */
export type Typed<T> = Omit<Wire<T>, 'apiVersion' | 'kind' | 'metadata'> & KubeObject;

export type Pod = Typed<k.V1Pod>;
export type PodSpec = Wire<k.V1PodSpec>;
export type PodStatus = Wire<k.V1PodStatus>;
export type PodTemplateSpec = Wire<k.V1PodTemplateSpec>;
export type Container = Wire<k.V1Container>;
export type ContainerStatus = Wire<k.V1ContainerStatus>;
export type Toleration = Wire<k.V1Toleration>;
export type Taint = Wire<k.V1Taint>;
export type Affinity = Wire<k.V1Affinity>;
export type Volume = Wire<k.V1Volume>;
export type LabelSelectorJson = Wire<k.V1LabelSelector>;

export type Node = Typed<k.V1Node>;
export type NodeCondition = Wire<k.V1NodeCondition>;
export type Namespace = Typed<k.V1Namespace>;
export type Service = Typed<k.V1Service>;
export type Endpoints = Typed<k.V1Endpoints>;
export type EndpointSlice = Typed<k.V1EndpointSlice>;
export type ConfigMap = Typed<k.V1ConfigMap>;
export type Secret = Typed<k.V1Secret>;
export type ServiceAccount = Typed<k.V1ServiceAccount>;
export type PersistentVolume = Typed<k.V1PersistentVolume>;
export type PersistentVolumeClaim = Typed<k.V1PersistentVolumeClaim>;
export type LimitRange = Typed<k.V1LimitRange>;
export type ResourceQuota = Typed<k.V1ResourceQuota>;
export type CoreEvent = Typed<k.CoreV1Event>;
export type EventsV1Event = Typed<k.EventsV1Event>;
export type Binding = Typed<k.V1Binding>;

export type Deployment = Typed<k.V1Deployment>;
export type DeploymentSpec = Wire<k.V1DeploymentSpec>;
export type DeploymentStatus = Wire<k.V1DeploymentStatus>;
export type DeploymentCondition = Wire<k.V1DeploymentCondition>;
export type ReplicaSet = Typed<k.V1ReplicaSet>;
export type StatefulSet = Typed<k.V1StatefulSet>;
export type DaemonSet = Typed<k.V1DaemonSet>;
export type ControllerRevision = Typed<k.V1ControllerRevision>;
export type Job = Typed<k.V1Job>;
export type CronJob = Typed<k.V1CronJob>;
export type HorizontalPodAutoscaler = Typed<k.V2HorizontalPodAutoscaler>;
export type Scale = Typed<k.V1Scale>;

export type PodDisruptionBudget = Typed<k.V1PodDisruptionBudget>;
export type Eviction = Typed<k.V1Eviction>;
export type PriorityClass = Typed<k.V1PriorityClass>;
export type Lease = Typed<k.V1Lease>;
export type Ingress = Typed<k.V1Ingress>;
export type CustomResourceDefinition = Typed<k.V1CustomResourceDefinition>;
export type APIService = Typed<k.V1APIService>;
export type Role = Typed<k.V1Role>;
export type ClusterRole = Typed<k.V1ClusterRole>;
export type RoleBinding = Typed<k.V1RoleBinding>;
export type ClusterRoleBinding = Typed<k.V1ClusterRoleBinding>;
export type SelfSubjectAccessReview = Typed<k.V1SelfSubjectAccessReview>;
export type SubjectAccessReview = Typed<k.V1SubjectAccessReview>;
export type TokenReview = Typed<k.V1TokenReview>;
export type ValidatingAdmissionPolicy = Typed<k.V1ValidatingAdmissionPolicy>;
export type ValidatingWebhookConfiguration = Typed<k.V1ValidatingWebhookConfiguration>;
export type MutatingWebhookConfiguration = Typed<k.V1MutatingWebhookConfiguration>;
export type Status = Wire<k.V1Status>;
export type StorageClass = Typed<k.V1StorageClass>;
export type SelfSubjectRulesReview = Typed<k.V1SelfSubjectRulesReview>;
export type SelfSubjectReview = Typed<k.V1SelfSubjectReview>;

/** A list as the API server returns it. */
export interface ListOf<T extends KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** The `spec`/`status` of an object of a kind not listed above, read loosely but not as `any`. */
export type Fields = Record<string, unknown>;
