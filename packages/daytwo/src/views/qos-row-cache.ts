import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { createQosRowCache, type QosPodRow } from '../domain/qos-summary.js';
import type { AppStore } from '../store/app-store.js';

// One cache per console: the QoS list and the pod detail unmount as the user moves between
// them, and explaining every pod again each time would cost a large cluster a visible pause.
const caches = new WeakMap<AppStore, (pod: KubeObject) => QosPodRow>();

/** The memoised QoS row of a pod, shared by the QoS views of one console (store). */
export function qosRowCacheOf(store: AppStore): (pod: KubeObject) => QosPodRow {
  let rowOf = caches.get(store);
  if (!rowOf) {
    rowOf = createQosRowCache();
    caches.set(store, rowOf);
  }
  return rowOf;
}
