/** `kubectl describe deployment` (describeDeployment, DescribePodTemplate). */
import { labelSelectorRequirements } from '@daytwo/k8s/label-selector.js';
import type { CoreEvent, Deployment, DeploymentSpec, LabelSelectorJson, PodSpec, PodTemplateSpec, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import { eventsBlock } from './events.js';
import { containersBlock, volumesBlock } from './pod.js';
import { annotationsBlock, type DescribeWriter, labelsBlock, rfc1123z, tolerationsBlock } from './writer.js';

const REVISION = 'deployment.kubernetes.io/revision';

/** A label selector as `metav1.LabelSelectorAsSelector(...).String()` prints it: requirements sorted by key. */
export function selectorText(selector: LabelSelectorJson | undefined): string {
  const reqs = labelSelectorRequirements(selector) ?? [];
  if (reqs.length === 0) return '<none>';
  return [...reqs]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => {
      const values = [...r.values].sort();
      switch (r.operator) {
        case '=':
        case '==':
        case 'in':
          return values.length === 1 && r.operator !== 'in' ? `${r.key}=${values[0]}` : `${r.key} in (${values.join(',')})`;
        case 'notin':
          return `${r.key} notin (${values.join(',')})`;
        case '!=':
          return `${r.key}!=${values[0]}`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        default:
          return `${r.key} ${r.operator} ${values.join(',')}`;
      }
    })
    .join(',');
}

/** `DescribePodTemplate`. */
export function podTemplateBlock(w: DescribeWriter, template: PodTemplateSpec | undefined): void {
  w.line(0, 'Pod Template:');
  if (!template) {
    w.line(1, '<unset>');
    return;
  }
  const spec: Partial<PodSpec> = template.spec ?? {};
  labelsBlock(w, '  Labels', template.metadata?.labels);
  const annotations = template.metadata?.annotations ?? {};
  if (Object.keys(annotations).length > 0) annotationsBlock(w, annotations, '  Annotations');
  if (spec.serviceAccountName) w.line(1, `Service Account:\t${spec.serviceAccountName}`);
  const initContainers = spec.initContainers ?? [];
  if (initContainers.length > 0) containersBlock(w, 'Init Containers', initContainers, undefined, undefined, '  ');
  containersBlock(w, 'Containers', spec.containers ?? [], undefined, undefined, '  ');
  volumesBlock(w, spec.volumes ?? [], '  ');
  if (spec.priorityClassName) w.line(1, `Priority Class Name:\t${spec.priorityClassName}`);
  labelsBlock(w, '  Node-Selectors', spec.nodeSelector);
  tolerationsBlock(w, spec.tolerations, '  Tolerations');
}

/** `printReplicaSetsByLabels`. */
function replicaSetsText(list: readonly ReplicaSet[]): string {
  return list.map((rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>';
}

/** `replicaSets`: the Deployment's own (controller owner reference); the new one carries its revision. */
export function describeDeployment(
  w: DescribeWriter,
  d: Deployment,
  replicaSets: readonly ReplicaSet[] | undefined,
  events: readonly CoreEvent[] | undefined,
  now: number,
): void {
  const spec: Partial<DeploymentSpec> = d.spec ?? {};
  const status: NonNullable<Deployment['status']> = d.status ?? {};
  w.line(0, `Name:\t${d.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${d.metadata?.namespace ?? ''}`);
  w.line(0, `CreationTimestamp:\t${rfc1123z(d.metadata?.creationTimestamp)}`);
  labelsBlock(w, 'Labels', d.metadata?.labels);
  annotationsBlock(w, d.metadata?.annotations);
  w.line(0, `Selector:\t${selectorText(spec.selector)}`);
  w.line(
    0,
    `Replicas:\t${spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable`,
  );
  w.line(0, `StrategyType:\t${spec.strategy?.type ?? ''}`);
  w.line(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) w.line(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? 0} max unavailable, ${ru.maxSurge ?? 0} max surge`);
  podTemplateBlock(w, spec.template);
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    w.line(0, 'Conditions:');
    w.line(0, '  Type\tStatus\tReason');
    w.line(1, '----\t------\t------');
    for (const c of conditions) w.line(1, `${c.type} \t${c.status}\t${c.reason ?? ''}`);
  }
  if (replicaSets && replicaSets.length > 0) {
    const revision = d.metadata?.annotations?.[REVISION];
    const isNew = (rs: ReplicaSet) => revision !== undefined && rs.metadata?.annotations?.[REVISION] === revision;
    w.line(0, `OldReplicaSets:\t${replicaSetsText(replicaSets.filter((rs) => !isNew(rs)))}`);
    w.line(0, `NewReplicaSet:\t${replicaSetsText(replicaSets.filter(isNew))}`);
  }
  eventsBlock(w, events, now);
}
