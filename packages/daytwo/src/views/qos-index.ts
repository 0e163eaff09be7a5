import { createQosIndex } from '../domain/qos-summary.js';
import { perStore } from './per-store.js';

// One index per console: the QoS list unmounts as the user opens the pod detail and comes
// back, and explaining every pod again each time would cost a large cluster a visible pause.
/** The QoS rows and tallies of every pod, kept up to date per flush, one per console. */
export const qosIndexOf = perStore(() => createQosIndex());
