/**
 * The drift state: what the comparison of Git with the cluster answered last. Kept in its
 * own vanilla store (the kube layer's drift engine writes it, the Drift view and
 * `daytwo report drift` read it), so a console without `--git` carries none of it.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DriftItem, ManifestError } from '../domain/drift/types.js';

/** The commit compared, as the header shows it. */
export interface DriftCommit {
  readonly hash: string;
  readonly shortHash: string;
  readonly subject: string;
  /** Committer time, epoch ms. */
  readonly time: number;
}

/** Where the manifests came from. */
export interface DriftSourceInfo {
  readonly description: string;
  readonly commit?: DriftCommit;
  /** The working tree has uncommitted changes under the compared directory. */
  readonly dirty: boolean;
  /** `--git-ref`, when given. */
  readonly ref?: string;
}

export interface DriftState {
  /** `loading` until the first comparison ends; `error` when the source itself cannot be read. */
  readonly phase: 'loading' | 'ready' | 'error';
  /** A comparison is running (the first one or a refresh). */
  readonly refreshing: boolean;
  readonly source?: DriftSourceInfo;
  readonly items: readonly DriftItem[];
  /** Manifests that could not be read, rendered or matched to a served kind. */
  readonly manifestErrors: readonly ManifestError[];
  /** Live state that could not be read (a forbidden list), one line each. */
  readonly liveErrors: readonly string[];
  /** Why the source could not be read (phase `error`). */
  readonly error?: string;
  /** Epoch ms of the last finished comparison. */
  readonly computedAt?: number;
}

export type DriftStore = StoreApi<DriftState>;

/** A fresh drift store, loading. */
export function createDriftStore(): DriftStore {
  return createStore<DriftState>()(() => ({ phase: 'loading', refreshing: false, items: [], manifestErrors: [], liveErrors: [] }));
}

/** What the console needs of a drift source: its state and a way to ask for a new comparison. */
export interface DriftFeed {
  readonly store: DriftStore;
  /** Compares again now (the `r` key). */
  refresh(): void;
  /** Git's manifest of a declared object (by `driftKey`), for showing what a sync would create. */
  manifestOf?(key: string): KubeObject | undefined;
}
