/** One comparison, for `daytwo report drift`. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Requirement } from '@daytwo/k8s/label-selector.js';
import type { DriftState } from '../../store/drift.js';
import { KubeHttp } from '../http.js';
import { DriftEngine } from './engine.js';
import { GitSource } from './git-source.js';

/** Where the manifests are and how to read them (the `--git*` options). */
export interface DriftSourceOptions {
  readonly location: string;
  readonly ref?: string;
  readonly subdir?: string;
  readonly namespace: string;
  readonly pruneSelector?: readonly Requirement[];
}

/** Creates the drift engine of a session (not started). */
export function createDriftEngine(kc: KubeConfig, opts: DriftSourceOptions, appStore?: DriftEngineAppStore): DriftEngine {
  return new DriftEngine({
    source: new GitSource({ location: opts.location, ref: opts.ref, subdir: opts.subdir }),
    http: new KubeHttp(kc),
    defaultNamespace: opts.namespace,
    pruneSelector: opts.pruneSelector,
    appStore,
  });
}

type DriftEngineAppStore = ConstructorParameters<typeof DriftEngine>[0]['appStore'];

/** Compares once and answers the result. */
export async function loadDrift(kc: KubeConfig, opts: DriftSourceOptions): Promise<DriftState> {
  const engine = createDriftEngine(kc, opts);
  await engine.run('manual');
  return engine.store.getState();
}
