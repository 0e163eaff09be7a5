/**
 * `daytwo report upgrade [--to X.Y] [--git PATH|URL] [-f FILE_OR_DIR ...] -o table|json|yaml`:
 * whether the cluster can go to the target minor, and in what order. Exit 0 when ready
 * (warnings included), 1 when blocked, 2 when a source could not be read. `-f` alone scans
 * manifests with no cluster, like `pluto detect-files`.
 */
import type { ApiFinding } from '../domain/upgrade/api-findings.js';
import { manifestApiFindings, sortApiFindings } from '../domain/upgrade/api-findings.js';
import { API_COLUMNS, CAPACITY_COLUMNS, DRAIN_BLOCKER_COLUMNS, SKEW_COLUMNS } from '../domain/upgrade/columns.js';
import { DEPRECATION_SOURCES } from '../domain/upgrade/deprecations.js';
import { readinessOf } from '../domain/upgrade/from-objects.js';
import { nextMinor, parseTarget, type UpgradeReadiness } from '../domain/upgrade/readiness.js';
import type { UpgradeSources } from '../domain/upgrade/sources.js';
import { type KubeVersion, parseKubeVersion } from '../domain/version.js';
import { UPGRADE_OPTIONS, upgradeSourceOptions, upgradeTarget } from '../options/upgrade-options.js';
import type { AppState } from '../store/app-store.js';
import { KIND_NAMES } from '../domain/kinds.js';
import { type ReportDocument, renderTable } from './format.js';
import type { ReportArgs, ReportResult, ReportView } from './view-types.js';

/** Without a cluster, `-f` checks against the newest release the deprecation data was read at. */
export const OFFLINE_DEFAULT_TARGET = `1.${Number(DEPRECATION_SOURCES.readAt.split('.')[1])}`;

/** The JSON/YAML document: the issue's shape, with `kind` as every report has. */
export function upgradeDocument(r: UpgradeReadiness, errors: readonly string[] = []): ReportDocument {
  return {
    kind: 'upgrade',
    target: r.target,
    apiServer: r.apiServer,
    verdict: r.verdict,
    dataSource: { ...DEPRECATION_SOURCES },
    apis: r.apis,
    skew: r.skew,
    drainBlockers: r.drainBlockers,
    capacity: r.capacity,
    sequence: r.sequence,
    errors,
  } as unknown as ReportDocument;
}

function section<R>(title: string, columns: Parameters<typeof renderTable<R>>[0], rows: readonly R[]): string {
  return rows.length === 0 ? `${title}: none\n` : `${title}:\n${renderTable(columns, rows)}`;
}

/** The table output: the verdict, then each section, then the sequence with its blockers. */
export function upgradeTable(r: UpgradeReadiness, errors: readonly string[] = [], offline = false): string {
  const head = `Upgrade ${r.apiServer ? `${r.apiServer} -> ` : ''}${r.target}: ${r.verdict}\n`;
  const parts = [head, section('APIs', API_COLUMNS, r.apis)];
  if (!offline) {
    parts.push(section('Kubelet skew at the target', SKEW_COLUMNS, r.skew), section('Drain blockers', DRAIN_BLOCKER_COLUMNS, r.drainBlockers), section('Capacity (one node at a time)', CAPACITY_COLUMNS, r.capacity));
    const steps = r.sequence.map((s) => [`${s.step}. ${s.name}: ${s.action}`, ...s.blockers.map((b) => `   BLOCKER ${b}`), ...s.warnings.map((w) => `   warning ${w}`)].join('\n'));
    parts.push(`Sequence:\n${steps.join('\n')}\n`);
  }
  if (errors.length > 0) parts.push(`Errors:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);
  return parts.join('\n');
}

const exitCodeOf = (r: UpgradeReadiness, errors: readonly string[]) => (errors.length > 0 ? 2 : r.blockers > 0 ? 1 : 0);

/** Manifests only (`-f` without a cluster): API findings against `--to` or the data's newest release. */
export function offlineUpgradeReport(args: ReportArgs, { manifests, errors }: UpgradeSources): ReportResult {
  const target = upgradeTarget(args) ?? (parseTarget(OFFLINE_DEFAULT_TARGET) as KubeVersion);
  const apis: ApiFinding[] = sortApiFindings(manifestApiFindings(manifests, target));
  const blockers = apis.filter((a) => a.blocks).length;
  const warnings = apis.length - blockers;
  const r: UpgradeReadiness = {
    target: target.raw,
    apiServer: null,
    verdict: blockers > 0 ? `blocked: ${blockers}` : warnings > 0 ? 'ready with warnings' : 'ready',
    blockers,
    warnings,
    apis,
    skew: [],
    drainBlockers: [],
    capacity: [],
    sequence: [],
  };
  return { document: upgradeDocument(r, errors), table: upgradeTable(r, errors, true), exitCode: exitCodeOf(r, errors) };
}

/** The `upgrade` entry of `REPORT_VIEWS`. */
export const upgradeReport: ReportView = {
  name: 'upgrade',
  aliases: [],
  kinds: KIND_NAMES.filter((k) => k !== 'events'),
  nodeLevel: true,
  needsServerVersion: true,
  options: UPGRADE_OPTIONS,
  checkArgs(args) {
    upgradeTarget(args);
  },
  loads: 'upgrade-sources',
  offline: {
    when: (args) => {
      const sources = upgradeSourceOptions(args);
      return sources.files.length > 0 && sources.git === undefined;
    },
    build: (args, loaded) => offlineUpgradeReport(args, loaded as UpgradeSources),
  },
  build(state: AppState, args, loaded) {
    const l = loaded as UpgradeSources;
    const apiServer = parseKubeVersion(state.cluster.version);
    const target = upgradeTarget(args) ?? (apiServer ? nextMinor(apiServer) : undefined);
    if (!target) throw new Error('the API server version is unknown: give --to X.Y');
    const r = readinessOf({ target, apiServer, objects: state.objects, helmReleases: l.helmReleases, manifests: l.manifests });
    return { document: upgradeDocument(r, l.errors), table: upgradeTable(r, l.errors), exitCode: exitCodeOf(r, l.errors) };
  },
};
