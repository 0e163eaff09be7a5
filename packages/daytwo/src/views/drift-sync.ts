import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { driftDiffLines } from '../domain/drift/diff-lines.js';
import { driftRowKey } from '../domain/drift/rows.js';
import type { DriftItem } from '../domain/drift/types.js';
import type { DialogSpec } from '../store/dialog-spec.js';

/** Diff lines a sync dialog shows; Enter in the view shows the whole diff. */
const DIALOG_DIFF_LINES = 8;

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function driftObjectName(item: DriftItem): string {
  return `${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name}`;
}

/** The question before syncing an object back to Git: how it is applied, whose changes it takes over, the start of the diff. */
export function syncDialog(item: DriftItem, manifest: KubeObject | undefined, syncDrift: (key: string) => Promise<unknown>): DialogSpec {
  const lines = driftDiffLines(item, manifest).map((l) => l.text);
  const managers = [...new Set(item.diffs.flatMap((d) => (d.manager && d.manager !== 'daytwo' ? [d.manager] : [])))];
  return {
    title: `Sync ${driftObjectName(item)} back to Git?`,
    body: [
      item.status === 'Missing' ? 'Creates it from Git by server-side apply (field manager daytwo).' : 'Applies Git by server-side apply (field manager daytwo, force).',
      ...(managers.length > 0 ? [`Takes over the fields changed by: ${managers.join(', ')}.`] : []),
      ...lines.slice(0, DIALOG_DIFF_LINES),
      ...(lines.length > DIALOG_DIFF_LINES ? [`… ${lines.length - DIALOG_DIFF_LINES} more lines (Enter shows the whole diff)`] : []),
    ],
    confirmLabel: 'Sync',
    dangerous: true,
    onConfirm: () => void syncDrift(driftRowKey(item)),
  };
}
