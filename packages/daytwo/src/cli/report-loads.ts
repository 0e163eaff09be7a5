/** Reads what a report view declares it needs beyond its watched kinds (`ReportView.loads`), so report/ stays a presenter. */
import type { UpgradeSources } from '../domain/upgrade/sources.js';
import { nodesWithClaims } from '../domain/volume-usage.js';
import { loadDrift } from '../kube/drift/load.js';
import { readPodMetrics } from '../kube/metrics.js';
import type { KubeSession } from '../kube/session.js';
import { loadUpgradeSources, readUpgradeManifests } from '../kube/upgrade/load.js';
import { readVolumeUsageOnce } from '../kube/volume-stats.js';
import { type DriftOptions, driftOptions } from '../options/drift-options.js';
import { upgradeSourceOptions } from '../options/upgrade-options.js';
import type { ReportArgs, ReportView } from '../report/views.js';

/** Reads the view's `loads` through the connected session. */
export async function loadForReport(view: ReportView, session: KubeSession, args: ReportArgs): Promise<unknown> {
  const state = session.store.getState();
  switch (view.loads) {
    case 'pod-usage':
      return readPodMetrics(session.kc, state.scope ?? state.cluster.namespace);
    case 'drift':
      return loadDrift(session.kc, driftOptions(args) as DriftOptions);
    case 'upgrade-sources':
      return loadUpgradeSources(session.kc, state.cluster.namespace, upgradeSourceOptions(args));
    case 'volume-stats':
      return readVolumeUsageOnce(session.kc, nodesWithClaims(state.objects.pods.values()));
    case undefined:
      return undefined;
  }
}

/** Reads the view's `loads` with no cluster (`ReportView.offline`): only what lies outside it. */
export async function loadOffline(view: ReportView, args: ReportArgs): Promise<unknown> {
  switch (view.loads) {
    case 'upgrade-sources': {
      const read = await readUpgradeManifests(upgradeSourceOptions(args));
      return { helmReleases: [], ...read } satisfies UpgradeSources;
    }
    default:
      throw new Error(`report ${view.name} cannot load ${view.loads ?? 'anything'} without a cluster`);
  }
}
