import { createQosIndex, createQosRowCache } from '../domain/qos-summary.js';
import { perStore } from './per-store.js';

// One cache per console: the QoS list and the pod detail unmount as the user moves between
// them, and explaining every pod again each time would cost a large cluster a visible pause.
/** The memoised QoS row of a pod, shared by the QoS views of one console (store). */
export const qosRowCacheOf = perStore(createQosRowCache);

/** The QoS rows and tallies of every pod, kept up to date per flush, one per console. */
export const qosIndexOf = perStore((store) => createQosIndex(qosRowCacheOf(store)));
