/** kubectl's `GetAccessModesAsString` (k8s.io/kubectl/pkg/util/storage): RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModesText(modes: readonly string[] | undefined): string {
  const set = new Set(modes ?? []);
  return [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ]
    .filter(([mode]) => set.has(mode))
    .map(([, short]) => short)
    .join(',');
}
