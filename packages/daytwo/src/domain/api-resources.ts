/**
 * The API server's resources as discovery lists them, and what a user types to name one
 * (`:svc`, `:deployment`, `:certificates.cert-manager.io`), resolved as kubectl resolves
 * resource arguments: short names first, then plural, singular and kind, each optionally
 * qualified by group (`plural.group`, `kind.group`) or version and group
 * (`plural.version.group`). Pure.
 */

/** One listable resource of one group/version (an APIResourceList entry, subresources left out). */
export interface ApiResource {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural, lower case: `deployments`. */
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
  readonly categories: readonly string[];
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(r: Pick<ApiResource, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `deployments.apps`, or `pods` for the core group: the name kubectl prints for a resource. */
export function qualifiedName(r: Pick<ApiResource, 'group' | 'resource'>): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** Whether the resource can be shown as a live table (list and watch). */
export function isBrowsable(r: ApiResource): boolean {
  return r.verbs.includes('list') && r.verbs.includes('watch');
}

/**
 * The resource `input` names, among `resources` in discovery order (core group first, then
 * the groups as `/apis` lists them, which is the order kubectl's RESTMapper prefers when a
 * name is served by several groups); undefined when none matches.
 */
export function resolveResource(input: string, resources: readonly ApiResource[]): ApiResource | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  const lower = text.toLowerCase();
  const candidates = resources.filter(isBrowsable);
  // Unqualified: a short name, then plural, singular, kind (kubectl's shortcut expander, then the RESTMapper).
  const exact =
    candidates.find((r) => r.shortNames.includes(lower)) ??
    candidates.find((r) => r.resource === lower) ??
    candidates.find((r) => r.singular === lower) ??
    candidates.find((r) => r.kind.toLowerCase() === lower);
  if (exact) return exact;
  // Qualified: `name.group` or `name.version.group`.
  for (let dot = lower.indexOf('.'); dot > 0; dot = lower.indexOf('.', dot + 1)) {
    const name = lower.slice(0, dot);
    const rest = lower.slice(dot + 1);
    const named = (r: ApiResource) => r.resource === name || r.singular === name || r.kind.toLowerCase() === name || r.shortNames.includes(name);
    const inGroup = candidates.find((r) => named(r) && r.group === rest);
    if (inGroup) return inGroup;
    const versionDot = rest.indexOf('.');
    if (versionDot > 0) {
      const version = rest.slice(0, versionDot);
      const group = rest.slice(versionDot + 1);
      const inVersion = candidates.find((r) => named(r) && r.group === group && r.version === version);
      if (inVersion) return inVersion;
    }
  }
  return undefined;
}

/** Every name that resolves to a browsable resource, for Tab completion: plural, singular and short names. */
export function resourceNames(resources: readonly ApiResource[]): string[] {
  const names = new Set<string>();
  for (const r of resources) {
    if (!isBrowsable(r)) continue;
    names.add(r.resource);
    if (r.singular) names.add(r.singular);
    for (const s of r.shortNames) names.add(s);
  }
  return [...names].sort();
}
