/**
 * Reads a directory of manifests as `kubectl apply -R -f DIR` would, except that a
 * directory holding a kustomization is rendered (`kustomize build`, else `kubectl kustomize`)
 * instead of being read file by file.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
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
  await walk(out, root, '', render);
  return out;
}

async function walk(out: ParsedManifests, root: string, rel: string, render: KustomizeRenderer): Promise<void> {
  const dir = path.join(root, rel);
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const kustomization = kustomizationIn(entries.filter((e) => e.isFile()).map((e) => e.name));
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
    if (e.isDirectory()) await walk(out, root, path.join(rel, e.name), render);
    else if (e.isFile() && isManifestFile(e.name)) await readFileInto(out, root, path.join(rel, e.name));
  }
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
