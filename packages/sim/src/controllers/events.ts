/** Events as the components' event recorders write them (core/v1 Event). */
import type { CoreEvent } from '@daytwo/k8s/wire-types.js';
import type { KubeObject, ObjectStore } from '../types.js';
import { fnv32a } from './hash.js';
import { GR, rfc3339, updateWithRetry } from './objects.js';

let eventSeq = 0;

export interface EventOptions {
  /** `involvedObject.fieldPath`, e.g. `spec.containers{app}`. */
  fieldPath?: string;
  /**
   * Repeats of the same reason about the same object bump `count` and `lastTimestamp` of
   * one Event instead of adding another, as client-go's EventCorrelator aggregates them.
   */
  aggregate?: boolean;
}

/** Writes a core/v1 Event about `obj`, as a controller's event recorder does. Best effort. */
export function recordEvent(
  store: ObjectStore,
  obj: KubeObject,
  apiVersion: string,
  kind: string,
  type: string,
  reason: string,
  message: string,
  component: string,
  now: Date,
  opts: EventOptions = {},
): void {
  const ts = rfc3339(now);
  const namespace = obj.metadata.namespace ?? 'default';
  try {
    if (opts.aggregate) {
      const name = `${obj.metadata.name}.${fnv32a(`${obj.metadata.uid}/${reason}/${opts.fieldPath ?? ''}`).toString(16)}`;
      if (store.get(GR.events, namespace, name)) {
        updateWithRetry<CoreEvent>(store, GR.events, namespace, name, (e) => {
          e.count = (e.count ?? 1) + 1;
          e.lastTimestamp = ts;
          e.message = message;
          return true;
        });
        return;
      }
      store.create(GR.events, eventObject(name, namespace, obj, apiVersion, kind, type, reason, message, component, ts, opts));
      return;
    }
    eventSeq = (eventSeq + 1) % 0x1_0000_0000;
    const suffix = (now.getTime() * 1000 + eventSeq).toString(16).slice(-16);
    store.create(GR.events, eventObject(`${obj.metadata.name}.${suffix}`, namespace, obj, apiVersion, kind, type, reason, message, component, ts, opts));
  } catch {
    // Events are best effort, as with the real recorder.
  }
}

function eventObject(
  name: string,
  namespace: string,
  obj: KubeObject,
  apiVersion: string,
  kind: string,
  type: string,
  reason: string,
  message: string,
  component: string,
  ts: string,
  opts: EventOptions,
): CoreEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: {
      apiVersion,
      kind,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      ...(opts.fieldPath ? { fieldPath: opts.fieldPath } : {}),
    },
    reason,
    message,
    type,
    source: component === 'kubelet' ? { component, host: nodeNameOf(obj) } : { component },
    firstTimestamp: ts,
    lastTimestamp: ts,
    count: 1,
    reportingComponent: component,
    reportingInstance: component === 'kubelet' ? nodeNameOf(obj) : '',
  };
}

/** The node of the object a kubelet event is about (a pod's `spec.nodeName`), or ''. */
function nodeNameOf(obj: KubeObject): string {
  const spec = obj.spec;
  return typeof spec === 'object' && spec !== null && 'nodeName' in spec && typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

/**
 * Creates a pod for a controller. A refusal (a quota or a LimitRange) does not abort the sync,
 * as in upstream controllers: it is recorded as a Warning `FailedCreate` event on the owner
 * (repeats aggregated) and its message returned, so that the caller still writes status and
 * retries later.
 */
export function createPodRecordingFailure(
  store: ObjectStore,
  owner: KubeObject,
  ownerApiVersion: string,
  ownerKind: string,
  component: string,
  now: Date,
  create: () => unknown,
): string | undefined {
  try {
    create();
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    recordEvent(store, owner, ownerApiVersion, ownerKind, 'Warning', 'FailedCreate', `Error creating: ${message}`, component, now, { aggregate: true });
    return message;
  }
}

/** How soon a controller whose pod creation was refused tries again. */
export const CREATE_RETRY_MS = 1_000;
