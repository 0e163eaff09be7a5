import { createNodePoolDerivation } from '../domain/pools.js';
import { perStore } from './per-store.js';

/** Node rows and pools with per-node pod requests kept up to date per flush, one per console (Nodes and Node pools views). */
export const nodePoolsOf = perStore(createNodePoolDerivation);
