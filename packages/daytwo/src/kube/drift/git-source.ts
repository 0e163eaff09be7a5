/**
 * Where the manifests come from: a directory in a Git working tree (read as it is on disk,
 * uncommitted changes included), a commit of it (`--git-ref`), a plain directory, or a Git
 * URL cloned into a cache directory.
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { ParsedManifests } from '../../domain/drift/manifests.js';
import { pipe, run } from './exec.js';
import { type KustomizeRenderer, readManifestDir, renderKustomization } from './manifest-dir.js';

/** `--git`, `--git-ref`, `--git-path`. */
export interface GitSourceOptions {
  /** A directory (in a Git working tree or not) or a Git URL (`https://`, `ssh://`, `git@host:repo`, `file://`). */
  readonly location: string;
  /** Read the manifests at this commit instead of the working tree. */
  readonly ref?: string;
  /** A subdirectory of the location. */
  readonly subdir?: string;
  /** Where URLs are cloned; default `$XDG_CACHE_HOME/daytwo/git` (or `~/.cache/daytwo/git`). */
  readonly cacheDir?: string;
  /** For tests: how kustomizations are rendered. */
  readonly render?: KustomizeRenderer;
}

/** The commit compared. */
export interface CommitInfo {
  readonly hash: string;
  readonly shortHash: string;
  readonly subject: string;
  /** Committer time, epoch ms. */
  readonly time: number;
}

/** One reading of the source. */
export interface SourceSnapshot {
  /** What is compared, for the header: a path or URL, with the subdirectory. */
  readonly description: string;
  /** Undefined for a plain directory (or a repository without commits). */
  readonly commit?: CommitInfo;
  /** The working tree under the compared directory has uncommitted changes. */
  readonly dirty: boolean;
  /** The ref read, when `--git-ref` was given. */
  readonly ref?: string;
  readonly manifests: ParsedManifests;
}

/** A bad `--git` option: one line. */
export class GitSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitSourceError';
  }
}

/** `https://`, `ssh://`, `git://`, `file://` URLs and scp-like `user@host:path`. */
export function isGitUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || /^[\w.-]+@[\w.-]+:/.test(location);
}

/** The cache directory of clones (XDG base directory spec: `$XDG_CACHE_HOME`, default `~/.cache`). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'daytwo', 'git');
}

const git = (cwd: string, ...args: string[]) => run('git', args, { cwd });

async function commitInfo(repo: string, rev: string): Promise<CommitInfo | undefined> {
  const out = await git(repo, 'log', '-1', '--format=%H%x00%h%x00%ct%x00%s', rev, '--').catch(() => undefined);
  if (!out) return undefined;
  const [hash, shortHash, ct, ...subject] = out.replace(/\n$/, '').split('\u0000');
  return { hash, shortHash, subject: subject.join('\u0000'), time: Number(ct) * 1000 };
}

/** Where a local location sits: its repository root and its path inside it, if it is in one. */
async function locate(dir: string): Promise<{ top?: string; rel: string }> {
  const top = await git(dir, 'rev-parse', '--show-toplevel').then((o) => o.trim(), () => undefined);
  if (!top) return { rel: '' };
  const prefix = await git(dir, 'rev-parse', '--show-prefix').then((o) => o.trim(), () => '');
  return { top, rel: prefix.replace(/\/$/, '') };
}

/** Reads manifests from one source; see {@link GitSourceOptions}. */
export class GitSource {
  private readonly opts: GitSourceOptions;
  private readonly render: KustomizeRenderer;

  constructor(opts: GitSourceOptions) {
    this.opts = opts;
    this.render = opts.render ?? renderKustomization;
  }

  get description(): string {
    return this.opts.subdir ? `${this.opts.location} (${this.opts.subdir})` : this.opts.location;
  }

  /** Reads the manifests now: fetches a URL's clone, or reads the working tree or the commit. */
  async read(): Promise<SourceSnapshot> {
    const { location, ref } = this.opts;
    const subdir = normalizeSubdir(this.opts.subdir);
    if (isGitUrl(location)) {
      const repo = await this.ensureClone(location);
      return this.readCommit(repo, ref ?? 'HEAD', subdir, ref);
    }
    const dir = path.resolve(location);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new GitSourceError(`--git ${location}: not a directory`);
    const { top, rel } = await locate(dir);
    if (ref !== undefined) {
      if (!top) throw new GitSourceError(`--git-ref ${ref}: ${location} is not in a Git repository`);
      return this.readCommit(top, ref, [rel, subdir].filter((p) => p !== '').join('/'), ref);
    }
    const root = path.join(dir, subdir);
    const manifests = await this.readDir(root);
    if (!top) return { description: this.description, dirty: false, manifests };
    const [commit, status] = await Promise.all([
      commitInfo(top, 'HEAD'),
      git(top, 'status', '--porcelain', '--', path.posix.join(rel, subdir) || '.').catch(() => ''),
    ]);
    return { description: this.description, commit, dirty: status.trim() !== '', manifests };
  }

  /** The directory to watch for changes: the working tree's, or undefined for commits and URLs. */
  watchRoot(): string | undefined {
    if (this.opts.ref !== undefined || isGitUrl(this.opts.location)) return undefined;
    return path.join(path.resolve(this.opts.location), normalizeSubdir(this.opts.subdir));
  }

  private async readDir(root: string): Promise<ParsedManifests> {
    const info = await stat(root).catch(() => undefined);
    if (!info) throw new GitSourceError(`--git-path ${this.opts.subdir ?? ''}: ${root} does not exist`);
    return readManifestDir(root, this.render);
  }

  /** Extracts the tree of `rev` (`git archive | tar -x`) and reads its `rel` like a directory. */
  private async readCommit(repo: string, rev: string, rel: string, ref: string | undefined): Promise<SourceSnapshot> {
    const hash = await git(repo, 'rev-parse', '--verify', '--quiet', `${rev}^{commit}`).then(
      (o) => o.trim(),
      () => {
        throw new GitSourceError(`--git-ref ${rev}: no such commit, branch or tag in ${this.opts.location}`);
      },
    );
    const tree = rel ? `${hash}:${rel}` : `${hash}^{tree}`;
    const kind = await git(repo, 'cat-file', '-t', tree).then((o) => o.trim(), () => '');
    if (kind !== 'tree') throw new GitSourceError(`--git-path ${this.opts.subdir ?? rel}: not a directory at ${hash.slice(0, 7)}`);
    const tmp = await mkdtemp(path.join(tmpdir(), 'daytwo-git-'));
    try {
      // The whole commit, not only `rel`: an overlay under `--git-path` renders with its `../../base`.
      await pipe({ program: 'git', args: ['archive', '--format=tar', hash], cwd: repo }, { program: 'tar', args: ['-x', '-C', tmp] });
      const manifests = await readManifestDir(path.join(tmp, rel), this.render);
      const commit = await commitInfo(repo, hash);
      return { description: this.description, commit, dirty: false, ref, manifests };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Clones a URL once (a mirror, so every branch and tag is there) and fetches it on later reads. */
  private async ensureClone(url: string): Promise<string> {
    const cache = this.opts.cacheDir ?? defaultCacheDir();
    const dir = path.join(cache, createHash('sha256').update(url).digest('hex').slice(0, 16));
    const exists = await stat(path.join(dir, 'HEAD')).then(() => true, () => false);
    if (exists) {
      await git(dir, 'fetch', '--quiet', '--prune', 'origin');
      return dir;
    }
    await mkdir(cache, { recursive: true });
    await run('git', ['clone', '--quiet', '--mirror', url, dir]);
    return dir;
  }
}

function normalizeSubdir(subdir: string | undefined): string {
  const s = (subdir ?? '').replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (s.split('/').includes('..')) throw new GitSourceError(`--git-path ${subdir}: must stay inside the repository`);
  return s === '.' ? '' : s;
}

/**
 * Calls `onChange` (debounced) when files under `root` change; `.git` is ignored. Answers
 * a stop function. Recursive `fs.watch` needs Node >= 20 on Linux; where it is missing,
 * changes are picked up on `r` only.
 */
export function watchTree(root: string, onChange: () => void, debounceMs = 300): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(root, { recursive: true }, (_event, file) => {
      if (file && String(file).split(path.sep).includes('.git')) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
