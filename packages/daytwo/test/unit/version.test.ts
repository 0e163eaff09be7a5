import { describe, expect, it } from 'vitest';
import { compareMinor, compareVersions, formatMinor, parseKubeVersion, versionFromInfo } from '../../src/domain/version.js';

describe('parseKubeVersion', () => {
  it('parses a plain gitVersion', () => {
    expect(parseKubeVersion('v1.30.4')).toEqual({ major: 1, minor: 30, patch: 4, raw: 'v1.30.4' });
  });

  it('keeps provider suffixes as the pre-release part', () => {
    expect(parseKubeVersion('v1.29.15-eks-abcdef')).toMatchObject({ major: 1, minor: 29, patch: 15, preRelease: 'eks-abcdef' });
    expect(parseKubeVersion('v1.31.5-gke.1023000')).toMatchObject({ major: 1, minor: 31, patch: 5, preRelease: 'gke.1023000' });
  });

  it('keeps build metadata after +', () => {
    expect(parseKubeVersion('v1.30.4+k3s1')).toMatchObject({ minor: 30, patch: 4, build: 'k3s1' });
    expect(parseKubeVersion('v1.28.2-rc.1+abc')).toMatchObject({ minor: 28, preRelease: 'rc.1', build: 'abc' });
  });

  it('accepts versions without v and without a patch level', () => {
    expect(parseKubeVersion('1.27')).toMatchObject({ major: 1, minor: 27, patch: 0 });
    expect(parseKubeVersion(' v1.27.3 ')).toMatchObject({ minor: 27, patch: 3, raw: 'v1.27.3' });
  });

  it('rejects what is not a version', () => {
    for (const bad of ['', 'latest', 'v1', 'v1.x.3', '1.30.4.5', 'v1.30.4-']) expect(parseKubeVersion(bad)).toBeUndefined();
    expect(parseKubeVersion(undefined)).toBeUndefined();
  });
});

describe('versionFromInfo', () => {
  it('prefers gitVersion', () => {
    expect(versionFromInfo({ major: '1', minor: '30+', gitVersion: 'v1.30.9-eks-1234' })).toMatchObject({ minor: 30, patch: 9 });
  });

  it("falls back to major/minor, dropping the providers' trailing +", () => {
    expect(versionFromInfo({ major: '1', minor: '29+' })).toEqual({ major: 1, minor: 29, patch: 0, raw: '1.29' });
    expect(versionFromInfo({ major: '1', minor: '31', gitVersion: 'garbage' })).toMatchObject({ minor: 31 });
  });

  it('is undefined when nothing parses', () => {
    expect(versionFromInfo({ major: '', minor: '' })).toBeUndefined();
    expect(versionFromInfo({})).toBeUndefined();
  });
});

describe('comparisons', () => {
  const v = (s: string) => parseKubeVersion(s)!;

  it('compares minors and ignores patch levels', () => {
    expect(compareMinor(v('v1.30.1'), v('v1.30.9'))).toBe(0);
    expect(compareMinor(v('v1.29.15'), v('v1.30.0'))).toBeLessThan(0);
    expect(compareMinor(v('v1.31.0'), v('v1.28.3'))).toBe(3);
    expect(compareMinor(v('v2.0.0'), v('v1.99.0'))).toBeGreaterThan(0);
  });

  it('orders full versions by patch within a minor', () => {
    const sorted = ['v1.30.10', 'v1.29.15-eks-abcdef', 'v1.30.2'].map(v).sort(compareVersions).map((x) => x.raw);
    expect(sorted).toEqual(['v1.29.15-eks-abcdef', 'v1.30.2', 'v1.30.10']);
  });

  it('formats the minor', () => {
    expect(formatMinor(v('v1.31.5-gke.1023000'))).toBe('1.31');
  });
});
