/** One Kubernetes object, as the views hand it to actions (YAML, describe, events, delete, …). */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}
