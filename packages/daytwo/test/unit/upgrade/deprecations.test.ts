import { describe, expect, it } from 'vitest';
import { API_LIFECYCLE, API_LIFECYCLE_READ_AT } from '../../../src/domain/upgrade/api-lifecycle.js';
import { DEPRECATIONS, lookupDeprecation } from '../../../src/domain/upgrade/deprecations.js';

/**
 * Every group/version/kind the Kubernetes Deprecated API Migration Guide lists as no longer
 * served, by the release that stopped serving it, with the replacement it names
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/). The table must agree.
 */
const GUIDE_REMOVALS: Record<string, [apiVersion: string, kind: string, replacement: string | null][]> = {
  '1.16': [
    ['extensions/v1beta1', 'NetworkPolicy', 'networking.k8s.io/v1'],
    ['extensions/v1beta1', 'PodSecurityPolicy', 'policy/v1beta1'],
    ['extensions/v1beta1', 'DaemonSet', 'apps/v1'],
    ['apps/v1beta2', 'DaemonSet', 'apps/v1'],
    ['extensions/v1beta1', 'Deployment', 'apps/v1'],
    ['apps/v1beta1', 'Deployment', 'apps/v1'],
    ['apps/v1beta2', 'Deployment', 'apps/v1'],
    ['apps/v1beta1', 'StatefulSet', 'apps/v1'],
    ['apps/v1beta2', 'StatefulSet', 'apps/v1'],
    ['extensions/v1beta1', 'ReplicaSet', 'apps/v1'],
    ['apps/v1beta2', 'ReplicaSet', 'apps/v1'],
  ],
  '1.22': [
    ['admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration', 'admissionregistration.k8s.io/v1'],
    ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/v1'],
    ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'apiextensions.k8s.io/v1'],
    ['apiregistration.k8s.io/v1beta1', 'APIService', 'apiregistration.k8s.io/v1'],
    ['authentication.k8s.io/v1beta1', 'TokenReview', 'authentication.k8s.io/v1'],
    ['authorization.k8s.io/v1beta1', 'SubjectAccessReview', 'authorization.k8s.io/v1'],
    ['authorization.k8s.io/v1beta1', 'LocalSubjectAccessReview', 'authorization.k8s.io/v1'],
    ['authorization.k8s.io/v1beta1', 'SelfSubjectAccessReview', 'authorization.k8s.io/v1'],
    ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', 'certificates.k8s.io/v1'],
    ['coordination.k8s.io/v1beta1', 'Lease', 'coordination.k8s.io/v1'],
    ['extensions/v1beta1', 'Ingress', 'networking.k8s.io/v1'],
    ['networking.k8s.io/v1beta1', 'Ingress', 'networking.k8s.io/v1'],
    ['networking.k8s.io/v1beta1', 'IngressClass', 'networking.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', 'rbac.authorization.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'Role', 'rbac.authorization.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'RoleBinding', 'rbac.authorization.k8s.io/v1'],
    ['scheduling.k8s.io/v1beta1', 'PriorityClass', 'scheduling.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'CSIDriver', 'storage.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'CSINode', 'storage.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'StorageClass', 'storage.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'VolumeAttachment', 'storage.k8s.io/v1'],
  ],
  '1.25': [
    ['batch/v1beta1', 'CronJob', 'batch/v1'],
    ['discovery.k8s.io/v1beta1', 'EndpointSlice', 'discovery.k8s.io/v1'],
    ['events.k8s.io/v1beta1', 'Event', 'events.k8s.io/v1'],
    ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
    ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1'],
    ['policy/v1beta1', 'PodSecurityPolicy', null],
    ['node.k8s.io/v1beta1', 'RuntimeClass', 'node.k8s.io/v1'],
  ],
  '1.26': [
    ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta3'],
    ['flowcontrol.apiserver.k8s.io/v1beta1', 'PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io/v1beta3'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
  ],
  '1.27': [['storage.k8s.io/v1beta1', 'CSIStorageCapacity', 'storage.k8s.io/v1']],
  '1.29': [
    ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta3'],
    ['flowcontrol.apiserver.k8s.io/v1beta2', 'PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io/v1beta3'],
  ],
  '1.32': [
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 'flowcontrol.apiserver.k8s.io/v1'],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io/v1'],
  ],
};

describe('deprecation table', () => {
  it('was read from k8s.io/api v0.35.0', () => {
    expect(API_LIFECYCLE_READ_AT).toBe('v0.35.0');
  });

  for (const [release, removals] of Object.entries(GUIDE_REMOVALS)) {
    it(`says what the guide says was removed in ${release}`, () => {
      for (const [apiVersion, kind, replacement] of removals) {
        const d = lookupDeprecation(apiVersion, kind);
        expect(d, `${apiVersion} ${kind}`).toBeDefined();
        expect({ apiVersion, kind, removedIn: d?.removedIn, replacement: d?.replacement ?? null }).toEqual({ apiVersion, kind, removedIn: release, replacement });
      }
    });
  }

  it('lists no removal from 1.16 to 1.35 that the guide does not (except subresources and review kinds it folds in)', () => {
    const guide = new Set(Object.values(GUIDE_REMOVALS).flat().map(([v, k]) => `${v} ${k}`));
    const ignored = /^(Scale|DeploymentRollback|Eviction|SelfSubjectRulesReview|AdmissionReview|APIGroupDiscovery)$/;
    const extra = [...DEPRECATIONS.values()]
      .filter((d) => d.removedIn && Number(d.removedIn.split('.')[1]) <= 35 && !/alpha/.test(d.apiVersion) && !ignored.test(d.kind))
      .filter((d) => !guide.has(`${d.apiVersion} ${d.kind}`))
      .map((d) => `${d.apiVersion} ${d.kind} ${d.removedIn}`);
    // Upstream's tags also remove these; the guide does not list them (ControllerRevision is
    // internal to the workload controllers; the others are betas removed after their GA).
    expect(extra.sort()).toEqual([
      'admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy 1.34',
      'admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding 1.34',
      'apps/v1beta1 ControllerRevision 1.16',
      'apps/v1beta2 ControllerRevision 1.16',
      'authentication.k8s.io/v1beta1 SelfSubjectReview 1.33',
    ]);
  });

  it('takes the flowcontrol betas from upstream: v1beta3 removed in 1.32, deprecated in 1.29', () => {
    expect(lookupDeprecation('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')).toMatchObject({ deprecatedIn: '1.29', removedIn: '1.32', replacementAvailableIn: '1.29' });
  });

  it('gives the release a replacement is available from', () => {
    expect(lookupDeprecation('policy/v1beta1', 'PodDisruptionBudget')).toMatchObject({ deprecatedIn: '1.21', replacementAvailableIn: '1.21' });
    expect(lookupDeprecation('autoscaling/v2beta2', 'HorizontalPodAutoscaler')).toMatchObject({ deprecatedIn: '1.23', replacementAvailableIn: '1.23' });
  });

  it('knows GA versions are not deprecated', () => {
    expect(lookupDeprecation('apps/v1', 'Deployment')).toBeUndefined();
    expect(API_LIFECYCLE.some((e) => e.apiVersion === 'apps/v1' && e.kind === 'Deployment')).toBe(true);
  });
});
