import { describe, expect, it } from 'vitest';
import { kubeletSkew, maxKubeletMinorsBehind, worseSkew } from '../../src/domain/skew.js';
import { parseKubeVersion } from '../../src/domain/version.js';

describe('kubeletSkew', () => {
  it('accepts the same minor whatever the patch level', () => {
    expect(kubeletSkew('v1.30.4', 'v1.30.9')).toEqual({ minorsBehind: 0, supported: true });
  });

  it('accepts a kubelet up to three minors older (kubelet >= 1.25)', () => {
    expect(kubeletSkew('v1.31.5-gke.1023000', 'v1.28.15-gke.1')).toEqual({ minorsBehind: 3, supported: true });
    expect(kubeletSkew('v1.28.0', 'v1.25.16')).toEqual({ minorsBehind: 3, supported: true });
  });

  it('refuses four minors of skew', () => {
    const skew = kubeletSkew('v1.31.0', 'v1.27.16');
    expect(skew.supported).toBe(false);
    expect(skew.minorsBehind).toBe(4);
    expect(skew.reason).toBe('kubelet 1.27 is 4 minor versions older than kube-apiserver 1.31 (at most 3 supported)');
  });

  it('allows kubelets older than 1.25 only two minors of skew', () => {
    expect(kubeletSkew('v1.26.3', 'v1.24.17')).toEqual({ minorsBehind: 2, supported: true });
    const skew = kubeletSkew('v1.27.3', 'v1.24.17-eks-abcdef');
    expect(skew.supported).toBe(false);
    expect(skew.reason).toContain('(at most 2 supported)');
  });

  it('refuses a kubelet newer than the API server', () => {
    const skew = kubeletSkew('v1.29.15-eks-abcdef', 'v1.30.4');
    expect(skew).toEqual({ minorsBehind: -1, supported: false, reason: 'kubelet 1.30 is newer than kube-apiserver 1.29' });
  });

  it('takes parsed versions as well as strings', () => {
    expect(kubeletSkew(parseKubeVersion('v1.30.0')!, 'v1.29.1')).toEqual({ minorsBehind: 1, supported: true });
  });

  it('says so when a version does not parse', () => {
    expect(kubeletSkew('v1.30.0', '')).toMatchObject({ supported: false, reason: 'cannot parse kubelet version ""' });
    expect(kubeletSkew('nope', 'v1.30.0')).toMatchObject({ supported: false, reason: 'cannot parse kube-apiserver version "nope"' });
  });

  it('knows the per-kubelet allowance', () => {
    expect(maxKubeletMinorsBehind(parseKubeVersion('v1.24.0')!)).toBe(2);
    expect(maxKubeletMinorsBehind(parseKubeVersion('v1.25.0')!)).toBe(3);
  });
});

describe('the skew rule as the issue states it', () => {
  it('matches "from 1.28 on up to three minors older, before 1.28 up to two" for every pair from 1.20 to 1.35', () => {
    for (let api = 20; api <= 35; api++) {
      for (let kubelet = 15; kubelet <= 36; kubelet++) {
        const behind = api - kubelet;
        const expected = behind >= 0 && behind <= (api >= 28 ? 3 : 2);
        expect(kubeletSkew(`v1.${api}.1`, `v1.${kubelet}.4`).supported, `api 1.${api}, kubelet 1.${kubelet}`).toBe(expected);
      }
    }
  });
});

describe('worseSkew', () => {
  const ok1 = { minorsBehind: 1, supported: true };
  const ok3 = { minorsBehind: 3, supported: true };
  const ahead = { minorsBehind: -1, supported: false, reason: 'newer' };

  it('prefers unsupported, then the larger distance', () => {
    expect(worseSkew(ok1, ok3)).toBe(ok3);
    expect(worseSkew(ok3, ahead)).toBe(ahead);
    expect(worseSkew(undefined, ok1)).toBe(ok1);
    expect(worseSkew(ok1, undefined)).toBe(ok1);
  });
});
