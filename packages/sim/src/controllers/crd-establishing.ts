/**
 * What apiextensions-apiserver's naming and establishing controllers leave on a
 * CustomResourceDefinition once its names are accepted: `acceptedNames`, the conditions
 * NamesAccepted and Established, and `storedVersions` (which the CRD's strategy sets on
 * create). `kubectl wait --for condition=established` waits for this. Name conflicts
 * between CRDs are not checked.
 */

import type { CustomResourceDefinition } from '@daytwo/k8s/wire-types.js';
import { CRD_GR } from '../api/custom-resources.js';
import type { StoreEvent } from '../types.js';
import { QueueController } from './base.js';
import { rfc3339, updateWithRetry } from './objects.js';

type CrdNames = CustomResourceDefinition['spec']['names'];

const APISERVER_STATUS = { fieldManager: 'kube-apiserver', subresource: 'status' } as const;

export class CrdEstablishingController extends QueueController {
  readonly name = 'crd-establishing';

  protected keysFor(ev: StoreEvent): string[] {
    return ev.gr === CRD_GR && ev.type !== 'DELETED' ? [ev.object.metadata.name ?? ''] : [];
  }

  protected allKeys(): string[] {
    return this.ctx.store.list(CRD_GR).map((crd) => crd.metadata.name ?? '');
  }

  protected reconcile(name: string): void {
    const now = rfc3339(this.now());
    updateWithRetry<CustomResourceDefinition>(
      this.ctx.store,
      CRD_GR,
      undefined,
      name,
      (crd) => {
        const status = crd.status;
        const conditions = status?.conditions ?? [];
        const established = conditions.some((c) => c.type === 'Established' && c.status === 'True');
        const names: Partial<CrdNames> = crd.spec?.names ?? {};
        // The API server defaults singular and listKind from the kind (CRD defaulting).
        const accepted = { ...names, listKind: names.listKind || `${names.kind}List`, singular: names.singular || String(names.kind ?? '').toLowerCase() };
        if (established && JSON.stringify(status?.acceptedNames) === JSON.stringify(accepted)) return false;
        const storage = (crd.spec?.versions ?? []).find((v) => v.storage)?.name;
        const keep = conditions.filter((c) => c.type !== 'NamesAccepted' && c.type !== 'Established');
        crd.status = {
          ...status,
          // plural and kind are required on a valid CRD (the sim's API does not check them).
          acceptedNames: accepted as CrdNames,
          conditions: [
            ...keep,
            { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' },
            { type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
          ],
          storedVersions: status?.storedVersions?.length ? status.storedVersions : storage ? [storage] : [],
        };
        return true;
      },
      APISERVER_STATUS,
    );
  }
}
