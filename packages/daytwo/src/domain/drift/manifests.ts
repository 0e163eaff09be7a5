/**
 * Reading manifests: multi-document YAML and JSON files into declared objects, with the
 * file and line of every document and of every error.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { KUBE_TO_JS_OPTIONS, KUBE_YAML_OPTIONS } from '@daytwo/k8s/kube-yaml.js';
import { type DeclaredObject, groupOf, type ManifestError } from './types.js';

/** File names read as manifests (`kubectl apply -R -f` reads the same extensions). */
export function isManifestFile(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}

/** Names kustomize looks for in a directory (sigs.k8s.io/kustomize/api konfig.RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** A manifest document before its namespace is known. */
export type ParsedObject = Omit<DeclaredObject, 'namespace'> & { readonly namespace?: string };

/** The result of reading manifests: objects and errors, both in file order. */
export interface ParsedManifests {
  readonly objects: ParsedObject[];
  readonly errors: ManifestError[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses one file as kubectl reads it (YAML 1.1 scalars: `0644` is 420, see `kube-yaml.ts`).
 * Each document must be an object with `apiVersion`, `kind` and
 * `metadata.name`; a `List` contributes its items. A document that is not is reported
 * with its line and skipped; the rest of the file is still read.
 */
export function parseManifestFile(file: string, text: string): ParsedManifests {
  const lineCounter = new LineCounter();
  const objects: ParsedObject[] = [];
  const errors: ManifestError[] = [];
  const docs = parseAllDocuments(text, { ...KUBE_YAML_OPTIONS, lineCounter, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs)) return { objects, errors };
  for (const doc of docs) {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const docLine = lineCounter.linePos(start).line;
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
      errors.push({ file, line, reason: firstLine(err.message) });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS(KUBE_TO_JS_OPTIONS);
    } catch (err) {
      errors.push({ file, line: docLine, reason: firstLine((err as Error).message) });
      continue;
    }
    if (value === null || value === undefined) continue;
    collect(value, file, docLine, objects, errors);
  }
  return { objects, errors };
}

function collect(value: unknown, file: string, line: number, objects: ParsedObject[], errors: ManifestError[]): void {
  if (!isRecord(value)) {
    errors.push({ file, line, reason: 'not a Kubernetes object (expected a mapping with apiVersion and kind)' });
    return;
  }
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    errors.push({ file, line, reason: "missing apiVersion (Object 'apiVersion' is missing)" });
    return;
  }
  if (typeof kind !== 'string' || kind === '') {
    errors.push({ file, line, reason: "missing kind (Object 'Kind' is missing)" });
    return;
  }
  // kubectl expands `kind: List` (and *List kinds of v1) into their items.
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
    for (const item of Array.isArray(value.items) ? value.items : []) collect(item, file, line, objects, errors);
    return;
  }
  const metadata = isRecord(value.metadata) ? value.metadata : undefined;
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '') {
    const reason = metadata?.generateName ? 'metadata.generateName is not supported: name the object' : 'missing metadata.name';
    errors.push({ file, line, reason: `${kind}: ${reason}` });
    return;
  }
  const namespace = typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  objects.push({
    apiVersion,
    kind,
    group: groupOf(apiVersion),
    name,
    namespace,
    manifest: value as unknown as KubeObject,
    source: { file, line },
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

/** Whether a kind is namespaced: true, false, or undefined when the cluster does not serve it. */
export type ScopeLookup = (group: string, kind: string) => boolean | undefined;

/**
 * Fills in the namespace of namespaced objects that name none (kubectl's `-n`), drops it
 * from cluster-scoped ones, reports kinds the cluster does not serve (as kubectl's
 * "no matches for kind") and duplicates (the first one wins).
 */
export function resolveDeclared(parsed: ParsedManifests, isNamespaced: ScopeLookup, defaultNamespace: string): {
  objects: DeclaredObject[];
  errors: ManifestError[];
} {
  const errors = [...parsed.errors];
  const objects: DeclaredObject[] = [];
  const seen = new Map<string, ParsedObject>();
  for (const o of parsed.objects) {
    const namespaced = isNamespaced(o.group, o.kind);
    if (namespaced === undefined) {
      errors.push({ ...o.source, reason: `no matches for kind "${o.kind}" in version "${o.apiVersion}"` });
      continue;
    }
    const namespace = namespaced ? (o.namespace ?? defaultNamespace) : undefined;
    const id = `${o.group}/${o.kind}/${namespace ?? ''}/${o.name}`;
    const first = seen.get(id);
    if (first) {
      errors.push({ ...o.source, reason: `${o.kind} ${namespace ? `${namespace}/` : ''}${o.name} is also declared in ${first.source.file}:${first.source.line}; that one is compared` });
      continue;
    }
    seen.set(id, o);
    const metadata = { ...o.manifest.metadata, ...(namespace ? { namespace } : {}) };
    if (!namespace) delete metadata.namespace;
    objects.push({ ...o, namespace, manifest: { ...o.manifest, metadata } });
  }
  return { objects, errors };
}
