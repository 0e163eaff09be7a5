/**
 * Object validation of API writes (the registry strategies' Validate, after defaulting):
 * only the pod-spec rules of pkg/apis/core/validation that daytwo's users hit —
 * `containers` is required, and every volumeMount names a volume of the pod.
 * Errors are 422 Invalid with upstream's field paths and messages.
 */

import { isKnownTimeZone, parseCronSchedule } from '@daytwo/k8s/cron.js';
import { invalid } from '../errors.js';
import type { GroupResource, KubeObject, ResourceType } from '../types.js';

interface FieldError {
  field: string;
  message: string;
  reason: string;
}

/** Where each kind keeps its pod spec. */
const POD_SPEC_PATHS: Partial<Record<GroupResource, readonly string[]>> = {
  pods: ['spec'],
  podtemplates: ['template', 'spec'],
  replicationcontrollers: ['spec', 'template', 'spec'],
  'apps/deployments': ['spec', 'template', 'spec'],
  'apps/replicasets': ['spec', 'template', 'spec'],
  'apps/statefulsets': ['spec', 'template', 'spec'],
  'apps/daemonsets': ['spec', 'template', 'spec'],
  'batch/jobs': ['spec', 'template', 'spec'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Throws 422 Invalid when `obj` breaks a rule above; a no-op for other kinds. */
export function validateObject(gr: GroupResource, type: ResourceType, obj: KubeObject): void {
  if (gr === 'batch/cronjobs') {
    const errors = cronJobScheduleErrors(obj);
    if (errors.length > 0) throw invalid(type.group, type.kind, obj.metadata.name ?? '', errors);
  }
  const path = POD_SPEC_PATHS[gr];
  if (!path) return;
  let spec: unknown = obj;
  for (const key of path) spec = isRecord(spec) ? spec[key] : undefined;
  const errors = podSpecErrors(isRecord(spec) ? spec : {}, path.join('.'), claimTemplateNames(gr, obj));
  if (errors.length > 0) throw invalid(type.group, type.kind, obj.metadata.name ?? '', errors);
}

/** batch validation's validateScheduleFormat and validateTimeZone. */
function cronJobScheduleErrors(obj: KubeObject): FieldError[] {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const schedule = spec.schedule;
  if (typeof schedule !== 'string' || schedule === '') return [{ field: 'spec.schedule', message: 'Required value', reason: 'FieldValueRequired' }];
  const errors: FieldError[] = [];
  const invalidValue = (field: string, value: string, why: string) => ({ field, message: `Invalid value: ${JSON.stringify(value)}: ${why}`, reason: 'FieldValueInvalid' });
  try {
    parseCronSchedule(schedule);
  } catch (err) {
    errors.push(invalidValue('spec.schedule', schedule, (err as Error).message));
  }
  if (schedule.includes('TZ')) errors.push(invalidValue('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  const timeZone = spec.timeZone;
  if (typeof timeZone === 'string' && (timeZone === 'Local' || !isKnownTimeZone(timeZone))) errors.push(invalidValue('spec.timeZone', timeZone, `unknown time zone ${timeZone}`));
  return errors;
}

/** ValidatePodSpec's rules on containers and volume mounts, in its order (containers, then init containers). */
export function podSpecErrors(spec: Record<string, unknown>, at: string, extraVolumes: readonly string[] = []): FieldError[] {
  const errors: FieldError[] = [];
  const volumes = new Set([...records(spec.volumes).map((v) => v.name), ...extraVolumes]);
  const containers = records(spec.containers);
  // validateContainers: field.Required(fldPath, "")
  if (containers.length === 0) errors.push({ field: `${at}.containers`, message: 'Required value', reason: 'FieldValueRequired' });
  for (const list of ['containers', 'initContainers'] as const) {
    records(spec[list]).forEach((container, i) => {
      records(container.volumeMounts).forEach((mount, j) => {
        const name = mount.name;
        // ValidateVolumeMounts: field.NotFound(idxPath.Child("name"), mnt.Name)
        if (typeof name === 'string' && name !== '' && !volumes.has(name)) {
          errors.push({
            field: `${at}.${list}[${i}].volumeMounts[${j}].name`,
            message: `Not found: ${JSON.stringify(name)}`,
            reason: 'FieldValueNotFound',
          });
        }
      });
    });
  }
  return errors;
}

/**
 * A StatefulSet's pods mount the claims of its volumeClaimTemplates, which are not in its
 * template's volumes (apps validation does not check template mounts against volumes alone).
 */
function claimTemplateNames(gr: GroupResource, obj: KubeObject): string[] {
  if (gr !== 'apps/statefulsets') return [];
  return records(isRecord(obj.spec) ? obj.spec.volumeClaimTemplates : undefined).map((t) => (isRecord(t.metadata) ? String(t.metadata.name ?? '') : ''));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
