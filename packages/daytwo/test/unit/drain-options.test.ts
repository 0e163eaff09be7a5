import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/options/connection-options.js';
import { drainFlagsFrom } from '../../src/options/drain-options.js';

describe('drainFlagsFrom (kubectl drain flags)', () => {
  it('has kubectl defaults: DaemonSets not ignored, the pod grace period, no timeout', () => {
    expect(drainFlagsFrom({})).toEqual({
      ignoreDaemonSets: false,
      deleteEmptyDirData: false,
      force: false,
      gracePeriodSeconds: -1,
      timeoutSeconds: 0,
      skipWaitForDeleteTimeoutSeconds: 0,
    });
  });

  it('reads every flag; --delete-local-data is the deprecated spelling of --delete-emptydir-data', () => {
    expect(
      drainFlagsFrom({
        'ignore-daemonsets': true,
        'delete-local-data': true,
        force: true,
        'grace-period': '0',
        timeout: '2m30s',
        'pod-selector': 'app in (web,api)',
        'skip-wait-for-delete-timeout': '60',
      }),
    ).toEqual({
      ignoreDaemonSets: true,
      deleteEmptyDirData: true,
      force: true,
      gracePeriodSeconds: 0,
      timeoutSeconds: 150,
      podSelector: 'app in (web,api)',
      skipWaitForDeleteTimeoutSeconds: 60,
    });
  });

  it('refuses bad values with kubectl-like one-line messages', () => {
    expect(() => drainFlagsFrom({ 'grace-period': 'soon' })).toThrow(new UsageError('invalid argument "soon" for "--grace-period" flag: not an integer'));
    expect(() => drainFlagsFrom({ timeout: '10' })).toThrow('invalid argument "10" for "--timeout" flag: time: missing unit in duration "10"');
    expect(() => drainFlagsFrom({ 'pod-selector': 'app in (' })).toThrow('--pod-selector=<pod_selector> must be a valid label selector');
  });
});
