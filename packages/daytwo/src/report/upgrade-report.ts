/**
 * `daytwo report upgrade [--to X.Y] [--git PATH|URL] [-f FILE_OR_DIR ...] -o table|json|yaml`:
 * whether the cluster can go to the target minor, and in what order. Exit 0 when ready
 * (warnings included), 1 when blocked, 2 when a source could not be read. `-f` alone scans
 * manifests with no cluster, like `pluto detect-files`.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../cli/connection-options.js';
import { DRIFT_OPTIONS } from '../cli/drift-options.js';
import { readManifestDir } from '../kube/drift/manifest-dir.js';
import { GitSource } from '../kube/drift/git-source.js';
import { KubeHttp } from '../kube/http.js';
import { describeError } from '../kube/errors.js';
import { listHelmReleases } from '../kube/upgrade/helm-releases.js';
import { type ManifestUse, sortApiFindings, type ApiFinding } from '../domain/upgrade/api-findings.js';
import { API_COLUMNS, CAPACITY_COLUMNS, DRAIN_BLOCKER_COLUMNS, SKEW_COLUMNS } from '../domain/upgrade/columns.js';
import { DEPRECATION_SOURCES } from '../domain/upgrade/deprecations.js';
import { readinessOf } from '../domain/upgrade/from-objects.js';
import { nextMinor, parseTarget, type UpgradeReadiness } from '../domain/upgrade/readiness.js';
import { type HelmReleaseUses, manifestUses } from '../domain/upgrade/sources.js';
import { manifestApiFindings } from '../domain/upgrade/api-findings.js';
import { type KubeVersion, parseKubeVersion } from '../domain/version.js';
import type { AppState } from '../store/app-store.js';
import { KIND_NAMES } from '../store/kinds.js';
import { type ReportDocument, renderTable } from './format.js';
import type { ReportArgs, ReportResult, ReportView } from './views.js';

export const UPGRADE_OPTIONS = {
  to: { type: 'string' },
  filename: { type: 'string', short: 'f', multiple: true },
  git: DRIFT_OPTIONS.git,
  'git-ref': DRIFT_OPTIONS['git-ref'],
  'git-path': DRIFT_OPTIONS['git-path'],
} as const satisfies ParseArgsConfig['options'];

/** Without a cluster, `-f` checks against the newest release the deprecation data was read at. */
export const OFFLINE_DEFAULT_TARGET = `1.${Number(DEPRECATION_SOURCES.readAt.split('.')[1])}`;

function targetArg(args: ReportArgs): KubeVersion | undefined {
  if (args.to === undefined) return undefined;
  const t = parseTarget(String(args.to));
  if (!t) throw new UsageError(`invalid --to "${String(args.to)}": expected a minor version such as 1.33`);
  return t;
}

const files = (args: ReportArgs): string[] => (Array.isArray(args.filename) ? (args.filename as string[]) : []);

/** What the report reads besides the watched objects. */
export interface UpgradeLoaded {
  readonly helmReleases: readonly HelmReleaseUses[];
  readonly manifests: readonly ManifestUse[];
  /** Sources that could not be read: the report exits 2. */
  readonly errors: readonly string[];
}

async function readManifests(args: ReportArgs): Promise<{ manifests: ManifestUse[]; errors: string[] }> {
  const manifests: ManifestUse[] = [];
  const errors: string[] = [];
  for (const f of files(args)) {
    try {
      const parsed = await readManifestDir(f);
      const isFile = (await stat(f)).isFile();
      const shown = (file: string) => (isFile ? f : path.join(f, file));
      manifests.push(...manifestUses({ ...parsed, objects: parsed.objects.map((o) => ({ ...o, source: { ...o.source, file: shown(o.source.file) } })) }, 'file'));
      errors.push(...parsed.errors.map((e) => `${shown(e.file)}:${e.line}: ${e.reason}`));
    } catch (err) {
      errors.push(`-f ${f}: ${(err as Error).message}`);
    }
  }
  if (typeof args.git === 'string') {
    try {
      const snap = await new GitSource({ location: args.git, ref: args['git-ref'] as string | undefined, subdir: args['git-path'] as string | undefined }).read();
      manifests.push(...manifestUses(snap.manifests, 'git'));
      errors.push(...snap.manifests.errors.map((e) => `${e.file}:${e.line}: ${e.reason}`));
    } catch (err) {
      errors.push(`--git ${args.git}: ${(err as Error).message}`);
    }
  }
  return { manifests, errors };
}

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
export async function offlineUpgradeReport(args: ReportArgs): Promise<ReportResult> {
  const target = targetArg(args) ?? (parseTarget(OFFLINE_DEFAULT_TARGET) as KubeVersion);
  const { manifests, errors } = await readManifests(args);
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
    targetArg(args);
  },
  standalone: (args) => (files(args).length > 0 && args.git === undefined ? offlineUpgradeReport(args) : undefined),
  async load(ctx, args): Promise<UpgradeLoaded> {
    const errors: string[] = [];
    let helmReleases: HelmReleaseUses[] = [];
    const http = new KubeHttp(ctx.kc);
    try {
      const listed = await listHelmReleases(http, ctx.store.getState().cluster.namespace);
      helmReleases = listed.releases;
      errors.push(...listed.errors);
    } catch (err) {
      errors.push(`Helm releases (Secrets labelled owner=helm): ${describeError(err)}`);
    } finally {
      http.close();
    }
    const read = await readManifests(args);
    return { helmReleases, manifests: read.manifests, errors: [...errors, ...read.errors] };
  },
  build(state: AppState, args, loaded) {
    const l = loaded as UpgradeLoaded;
    const apiServer = parseKubeVersion(state.cluster.version);
    const target = targetArg(args) ?? (apiServer ? nextMinor(apiServer) : undefined);
    if (!target) throw new Error('the API server version is unknown: give --to X.Y');
    const r = readinessOf({ target, apiServer, objects: state.objects, helmReleases: l.helmReleases, manifests: l.manifests });
    return { document: upgradeDocument(r, l.errors), table: upgradeTable(r, l.errors), exitCode: exitCodeOf(r, l.errors) };
  },
};
