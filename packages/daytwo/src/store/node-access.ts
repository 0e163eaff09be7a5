import type { AccessQuery } from '../domain/operations.js';

/**
 * The permissions behind the node keys, shared by the kube actions (which check them before
 * acting) and the views (which check them when they mount, to show a denied key as such).
 */

/** Cordon, uncordon, and the cordon a drain starts with: `patch nodes`. */
export const PATCH_NODES: AccessQuery = { verb: 'patch', group: '', resource: 'nodes' };

/** What draining needs besides cordoning: `create pods/eviction`. */
export const CREATE_EVICTIONS: AccessQuery = { verb: 'create', group: '', resource: 'pods', subresource: 'eviction' };
