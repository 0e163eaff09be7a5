/**
 * Reads a directory of manifests as `kubectl apply -R -f DIR` would, except that a
 * directory holding a kustomization is rendered (`kustomize build`, else `kubectl kustomize`)
 * instead of being read file by file, and only when no other kustomization in the tree
 * includes it (as a resource, component or base, directly or through others): an overlay is
 * rendered, the base it builds on is not rendered on its own, as a GitOps tool pointed at the
 * root applies the overlay only. Files a kustomization uses (resources, patches) are not read
 * as manifests of their own either.
 */
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { kustomizationRefs } from '../../domain/drift/kustomize-refs.js';
import { isManifestFile, KUSTOMIZATION_FILES, type ParsedManifests, parseManifestFile } from '../../domain/drift/manifests.js';
import { CommandError, run } from './exec.js';

/** Renders a kustomization directory to YAML; rejects with a one-line reason. */
export type KustomizeRenderer = (dir: string) => Promise<string>;

/** `kustomize build DIR` when kustomize is installed, else `kubectl kustomize DIR`, else a "not rendered" error. */
export const renderKustomization: KustomizeRenderer = async (dir) => {
  try {
    return await run('kustomize', ['build', dir]);
  } catch (err) {
    if (!(err instanceof CommandError) || err.code !== 'ENOENT') throw err;
  }
  try {
    return await run('kubectl', ['kustomize', dir]);
  } catch (err) {
    if (err instanceof CommandError && err.code === 'ENOENT') {
      throw new CommandError('not rendered: neither kustomize nor kubectl is installed');
    }
    throw err;
  }
};

function kustomizationIn(names: readonly string[]): string | undefined {
  return KUSTOMIZATION_FILES.find((f) => names.includes(f));
}

/**
 * Every manifest under `root`, files in name order. Paths in the result are relative to
 * `root`. Hidden entries (`.git`, `.github`) are skipped.
 */
export async function readManifestDir(root: string, render: KustomizeRenderer = renderKustomization): Promise<ParsedManifests> {
  const out: ParsedManifests = { objects: [], errors: [] };
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new Error(`${root}: no such file or directory`);
  if (info.isFile()) {
    await readFileInto(out, path.dirname(root), path.basename(root));
    return out;
  }
  const included = await includedPaths(root);
  await walk(out, root, '', render, included);
  return out;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Every path under `root` (relative, `/`-separated) that a kustomization in the tree refers to. */
async function includedPaths(root: string): Promise<Set<string>> {
  const included = new Set<string>();
  const visit = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    const kustomization = kustomizationIn(entries.filter((e) => e.isFile()).map((e) => e.name));
    if (kustomization) {
      const text = await readFile(path.join(root, rel, kustomization), 'utf8').catch(() => '');
      for (const ref of kustomizationRefs(text)) {
        const target = path.posix.normalize(path.posix.join(rel.split(path.sep).join('/'), ref)).replace(/\/+$/, '');
        if (target !== '..' && !target.startsWith('../') && target !== '.') included.add(target);
      }
    }
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await visit(path.join(rel, e.name));
  };
  await visit('');
  return included;
}

async function walk(out: ParsedManifests, root: string, rel: string, render: KustomizeRenderer, included: ReadonlySet<string>): Promise<void> {
  const dir = path.join(root, rel);
  const entries = (await readdir(dir, { withFileTypes: true })).sort(byName);
  const kustomization = kustomizationIn(entries.filter((e) => e.isFile()).map((e) => e.name));
  const posix = (p: string) => p.split(path.sep).join('/');
  if (kustomization && included.has(posix(rel))) return;
  if (kustomization) {
    const file = path.join(rel, kustomization);
    try {
      const parsed = parseManifestFile(`${file} (rendered)`, await render(dir));
      out.objects.push(...parsed.objects);
      out.errors.push(...parsed.errors);
    } catch (err) {
      out.errors.push({ file, line: 1, reason: (err as Error).message });
    }
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const child = path.join(rel, e.name);
    if (e.isDirectory()) await walk(out, root, child, render, included);
    else if (e.isFile() && isManifestFile(e.name) && !included.has(posix(child))) await readFileInto(out, root, child);
    else if (e.isSymbolicLink()) await readLinkInto(out, root, child, included.has(posix(child)));
  }
}

/**
 * A symbolic link, as `kubectl apply -R` treats it (filepath.Walk does not follow links): a
 * link to a manifest file is read through, a link to a directory is not descended. A link
 * that loops or leads nowhere is an error naming it, never skipped without a word.
 */
async function readLinkInto(out: ParsedManifests, root: string, rel: string, included: boolean): Promise<void> {
  const target = await stat(path.join(root, rel)).catch((err: NodeJS.ErrnoException) => err);
  if (target instanceof Error) {
    const link = await readlink(path.join(root, rel)).catch(() => '?');
    const reason = target.code === 'ELOOP' ? `symbolic link loop (-> ${link}): too many levels of symbolic links` : `symbolic link to ${link}: ${target.code === 'ENOENT' ? 'no such file or directory' : target.message}`;
    out.errors.push({ file: rel, line: 1, reason });
    return;
  }
  if (target.isFile() && isManifestFile(path.basename(rel)) && !included) await readFileInto(out, root, rel);
}

async function readFileInto(out: ParsedManifests, root: string, rel: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path.join(root, rel), 'utf8');
  } catch (err) {
    out.errors.push({ file: rel, line: 1, reason: (err as Error).message });
    return;
  }
  const parsed = parseManifestFile(rel, text);
  out.objects.push(...parsed.objects);
  out.errors.push(...parsed.errors);
}
