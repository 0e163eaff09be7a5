/**
 * Finding, parsing, merging and validating kubeconfig files the way kubectl does
 * (k8s.io/client-go/tools/clientcmd: loader.go and validation.go), with errors that
 * name the file and the problem. Loading itself is left to client-node's `KubeConfig`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { isMap, parseDocument } from 'yaml';
import type { KubeContextEntry } from '../domain/contexts.js';
import { KubeconfigError, NoKubeconfigError } from './errors.js';
import { withSerializedExecAuth } from './exec-credentials.js';
import { CredentialFieldError, checkClusterTls, checkUserCredentials } from './kubeconfig-credentials.js';

/** One named entry of a kubeconfig list (`clusters`, `users`, `contexts`), as written in the file. */
export interface NamedEntry {
  name: string;
  [key: string]: unknown;
}

/** A kubeconfig document as plain data, with relative file references already made absolute. */
export interface RawKubeconfig {
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: NamedEntry[];
  'current-context'?: string;
  /** Where each entry came from, for error messages. */
  files: string[];
}

/** Where to look: the `--kubeconfig` flag, then `$KUBECONFIG`, then `~/.kube/config`. */
export interface KubeconfigLocation {
  /** `--kubeconfig`: only this file is used, and it must exist. */
  explicitPath?: string;
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Defaults to the user's home directory. */
  homeDir?: string;
}

/** What the chosen context resolves to. */
export interface ResolvedContext {
  context: string;
  cluster: string;
  user: string;
  server: string;
  /** The context's default namespace, if it sets one. */
  namespace?: string;
}

/** A loaded, validated kubeconfig. */
export interface LoadedKubeconfig extends ResolvedContext {
  kc: KubeConfig;
  /** The files it was read from (one unless $KUBECONFIG lists several). */
  files: string[];
}

/**
 * The candidate files in kubectl's precedence: an explicit path alone; else every entry of
 * $KUBECONFIG (merged); else ~/.kube/config.
 */
export function kubeconfigCandidates(loc: KubeconfigLocation = {}): { paths: string[]; explicit: boolean } {
  if (loc.explicitPath) return { paths: [path.resolve(loc.explicitPath)], explicit: true };
  const env = loc.env ?? process.env;
  const list = env.KUBECONFIG;
  if (list) {
    const paths = list
      .split(path.delimiter)
      .filter((p) => p.length > 0)
      .map((p) => path.resolve(p));
    // clientcmd de-duplicates the precedence list, keeping the first occurrence.
    return { paths: [...new Set(paths)], explicit: false };
  }
  return { paths: [path.join(loc.homeDir ?? homedir(), '.kube', 'config')], explicit: false };
}

/**
 * Parses one kubeconfig file's text. Throws `KubeconfigError` naming the file and, for
 * YAML errors, the line and column.
 */
export function parseKubeconfigText(text: string, file: string): RawKubeconfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new KubeconfigError(file, pos ? `line ${pos.line}, column ${pos.col}: ${what}` : what);
  }
  if (doc.contents === null) throw new KubeconfigError(file, 'the file is empty');
  if (!isMap(doc.contents)) {
    const line = lineOf(text, doc.contents.range?.[0]);
    throw new KubeconfigError(file, `line ${line}: not a kubeconfig (expected a mapping with clusters, contexts and users)`);
  }
  const data = doc.toJS() as Record<string, unknown>;
  const dir = path.dirname(file);
  const currentContext = data['current-context'];
  if (currentContext !== undefined && currentContext !== null && typeof currentContext !== 'string') {
    throw new KubeconfigError(file, 'current-context must be a string');
  }
  return {
    clusters: namedEntries(data, 'clusters', file).map((c) => resolveFileRefs(c, 'cluster', CLUSTER_FILE_FIELDS, dir)),
    users: namedEntries(data, 'users', file).map((u) => resolveUserPaths(u, dir)),
    contexts: namedEntries(data, 'contexts', file),
    ...(currentContext ? { 'current-context': currentContext } : {}),
    files: [file],
  };
}

/**
 * Merges kubeconfigs in precedence order with clientcmd's rule: the first file to set a
 * cluster, user or context name (or current-context) wins; later ones never override it.
 */
export function mergeKubeconfigs(configs: readonly RawKubeconfig[]): RawKubeconfig {
  const merged: RawKubeconfig = { clusters: [], users: [], contexts: [], files: [] };
  for (const cfg of configs) {
    for (const list of ['clusters', 'users', 'contexts'] as const) {
      const seen = new Set(merged[list].map((e) => e.name));
      for (const entry of cfg[list]) if (!seen.has(entry.name)) merged[list].push(entry);
    }
    if (!merged['current-context'] && cfg['current-context']) merged['current-context'] = cfg['current-context'];
    merged.files.push(...cfg.files);
  }
  return merged;
}

/**
 * Picks the context (`--context` or current-context) and checks that it is usable, with
 * clientcmd's messages (validation.go: ConfirmUsable/validateContext/validateClusterInfo),
 * extended with the list of available contexts. Throws `KubeconfigError`.
 */
export function resolveContext(cfg: RawKubeconfig, contextName?: string): ResolvedContext {
  const file = cfg.files.join(path.delimiter);
  const available = cfg.contexts.map((c) => c.name);
  const availableText = available.length > 0 ? `available contexts: ${available.join(', ')}` : 'the file defines no contexts';
  const name = contextName || cfg['current-context'];
  if (!name) throw new KubeconfigError(file, `no context chosen (current-context is not set); ${availableText}`);
  const entry = cfg.contexts.find((c) => c.name === name);
  if (!entry) throw new KubeconfigError(file, `context was not found for specified context: ${name}; ${availableText}`);
  const ctx = asRecord(entry.context);
  const clusterName = stringField(ctx, 'cluster');
  const userName = stringField(ctx, 'user');
  if (!userName) throw new KubeconfigError(file, `user was not specified for context "${name}"`);
  if (!cfg.users.some((u) => u.name === userName)) {
    throw new KubeconfigError(file, `user "${userName}" was not found for context "${name}"`);
  }
  if (!clusterName) throw new KubeconfigError(file, `cluster was not specified for context "${name}"`);
  const cluster = cfg.clusters.find((c) => c.name === clusterName);
  if (!cluster) throw new KubeconfigError(file, `cluster "${clusterName}" was not found for context "${name}"`);
  const server = stringField(asRecord(cluster.cluster), 'server');
  if (!server) throw new KubeconfigError(file, `no server found for cluster "${clusterName}"`);
  const namespace = stringField(ctx, 'namespace');
  return { context: name, cluster: clusterName, user: userName, server, ...(namespace ? { namespace } : {}) };
}

/**
 * Finds, reads, merges and validates the kubeconfig, and loads it into a client-node
 * `KubeConfig` set to the chosen context. Throws `NoKubeconfigError` when there is none and
 * `KubeconfigError` for anything unusable.
 */
export function loadKubeconfig(opts: KubeconfigLocation & { context?: string } = {}): LoadedKubeconfig {
  const { paths, explicit } = kubeconfigCandidates(opts);
  const configs: RawKubeconfig[] = [];
  for (const file of paths) {
    const text = readKubeconfigFile(file, explicit);
    if (text !== undefined) configs.push(parseKubeconfigText(text, file));
  }
  if (configs.length === 0) throw new NoKubeconfigError(paths);
  const merged = mergeKubeconfigs(configs);
  const resolved = resolveContext(merged, opts.context);
  const checked = withCheckedCredentials(merged, resolved);
  return { ...resolved, kc: toKubeConfig(checked, resolved.context), files: merged.files };
}

/**
 * Checks the TLS material and token file of the cluster and user in use (see
 * kubeconfig-credentials.ts) and returns the config with a `tokenFile`'s token read in:
 * client-node knows only its own `token-file`, kubectl's field is `tokenFile`. Throws
 * `KubeconfigError` naming the file, the entry and the field.
 */
function withCheckedCredentials(cfg: RawKubeconfig, resolved: ResolvedContext): RawKubeconfig {
  const file = cfg.files.join(path.delimiter);
  const cluster = cfg.clusters.find((c) => c.name === resolved.cluster);
  const userIndex = cfg.users.findIndex((u) => u.name === resolved.user);
  try {
    if (!resolved.server.startsWith('http:')) checkClusterTls(resolved.cluster, asRecord(cluster?.cluster));
    const { token } = checkUserCredentials(resolved.user, asRecord(cfg.users[userIndex]?.user));
    if (token === undefined) return cfg;
    const users = [...cfg.users];
    users[userIndex] = { ...users[userIndex], user: { ...asRecord(users[userIndex].user), token } };
    return { ...cfg, users };
  } catch (err) {
    if (err instanceof CredentialFieldError) throw new KubeconfigError(file, err.message);
    throw err;
  }
}

/** Builds a client-node `KubeConfig` from merged data, set to `context`. */
export function toKubeConfig(cfg: RawKubeconfig, context: string): KubeConfig {
  const kc = new KubeConfig();
  const { files, ...doc } = cfg;
  try {
    // Entries unrelated to the chosen context may be incomplete: clientcmd only validates
    // the context in use, so they are filtered rather than fatal.
    kc.loadFromString(JSON.stringify(doc), { onInvalidEntry: 'filter' });
  } catch (err) {
    throw new KubeconfigError(files.join(path.delimiter), (err as Error).message);
  }
  kc.setCurrentContext(context);
  return kc;
}

/**
 * Checks a ready-made `KubeConfig` (tests, `--demo`) and selects `context` in it. Throws
 * `KubeconfigError` with file `(in-memory)`.
 */
export function selectContext(kc: KubeConfig, context?: string): ResolvedContext {
  const name = context || kc.getCurrentContext();
  const ctx = kc.getContextObject(name);
  if (!ctx) {
    const available = kc.getContexts().map((c) => c.name);
    throw new KubeconfigError(
      '(in-memory)',
      `context was not found for specified context: ${name}; available contexts: ${available.join(', ')}`,
    );
  }
  kc.setCurrentContext(name);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) throw new KubeconfigError('(in-memory)', `cluster "${ctx.cluster}" was not found for context "${name}"`);
  return {
    context: name,
    cluster: ctx.cluster,
    user: ctx.user,
    server: cluster.server,
    ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
  };
}

/** The contexts of a loaded kubeconfig, in file order, with each one's server. */
export function listContexts(kc: KubeConfig): KubeContextEntry[] {
  return kc.getContexts().map((c) => {
    const server = kc.getCluster(c.cluster)?.server;
    return { name: c.name, cluster: c.cluster, user: c.user, ...(server ? { server } : {}), ...(c.namespace ? { namespace: c.namespace } : {}) };
  });
}

/**
 * client-node refuses `http:` servers unless `insecure-skip-tls-verify` is set ("HTTP
 * protocol is not allowed when skipTLSVerify is not set or false"), whereas kubectl talks
 * plain HTTP to them (there is no TLS to verify). Returns a copy of `kc` with the flag set
 * on http clusters, so local and simulated servers work as they do with kubectl.
 */
export function allowPlainHttp(kc: KubeConfig): KubeConfig {
  const clusters = kc.getClusters();
  if (!clusters.some((c) => c.server.startsWith('http:') && !c.skipTLSVerify)) return kc;
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: clusters.map((c) => (c.server.startsWith('http:') ? { ...c, skipTLSVerify: true } : c)),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return withSerializedExecAuth(copy);
}

/** Cluster and user fields holding file paths, which clientcmd resolves against the file's directory (loader.go: ResolveLocalPaths). */
const CLUSTER_FILE_FIELDS = ['certificate-authority'] as const;
const USER_FILE_FIELDS = ['client-certificate', 'client-key', 'tokenFile', 'token-file'] as const;

function readKubeconfigFile(file: string, explicit: boolean): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // clientcmd skips $KUBECONFIG entries that do not exist; an explicit file must exist.
    if (code === 'ENOENT' && !explicit) return undefined;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory, not a file'
            : (err as Error).message;
    throw new KubeconfigError(file, reason);
  }
}

function namedEntries(data: Record<string, unknown>, list: 'clusters' | 'users' | 'contexts', file: string): NamedEntry[] {
  const value = data[list];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new KubeconfigError(file, `${list} must be a list`);
  return value.map((entry, i) => {
    const rec = asRecord(entry);
    if (typeof rec.name !== 'string' || rec.name === '') throw new KubeconfigError(file, `${list}[${i}].name is missing`);
    return rec as NamedEntry;
  });
}

function resolveFileRefs(entry: NamedEntry, key: string, fields: readonly string[], dir: string): NamedEntry {
  const body = asRecord(entry[key]);
  let changed = false;
  const next: Record<string, unknown> = { ...body };
  for (const f of fields) {
    const v = body[f];
    if (typeof v === 'string' && v !== '' && !path.isAbsolute(v)) {
      next[f] = path.resolve(dir, v);
      changed = true;
    }
  }
  return changed ? { ...entry, [key]: next } : entry;
}

function resolveUserPaths(entry: NamedEntry, dir: string): NamedEntry {
  const resolved = resolveFileRefs(entry, 'user', USER_FILE_FIELDS, dir);
  const user = asRecord(resolved.user);
  const exec = asRecord(user.exec);
  const command = exec.command;
  // An exec command with a path separator is a relative file path; a bare name is looked up on PATH (loader.go).
  if (typeof command === 'string' && command.includes(path.sep) && !path.isAbsolute(command)) {
    return { ...resolved, user: { ...user, exec: { ...exec, command: path.resolve(dir, command) } } };
  }
  return resolved;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringField(rec: Record<string, unknown>, key: string): string | undefined {
  const v = rec[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function lineOf(text: string, offset: number | undefined): number {
  if (offset === undefined) return 1;
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
