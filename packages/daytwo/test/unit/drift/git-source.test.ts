import { describe, expect, it } from 'vitest';
import { defaultCacheDir, GitSource, isGitUrl } from '../../../src/kube/drift/git-source.js';

describe('isGitUrl', () => {
  it('recognizes URLs and scp-like addresses, not paths', () => {
    const cases: [string, boolean][] = [
      ['https://github.com/acme/deploy.git', true],
      ['ssh://git@github.com/acme/deploy', true],
      ['file:///srv/git/deploy', true],
      ['git@github.com:acme/deploy.git', true],
      ['./deploy', false],
      ['/srv/deploy', false],
      ['deploy/overlays:prod', false],
    ];
    expect(cases.map(([s]) => [s, isGitUrl(s)])).toEqual(cases);
  });
});

describe('defaultCacheDir', () => {
  it('follows the XDG base directory spec', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/c' }, '/home/u')).toBe('/c/daytwo/git');
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.cache/daytwo/git');
  });
});

describe('GitSource', () => {
  it('refuses a --git-path that leaves the repository, and a location that is not a directory', async () => {
    await expect(new GitSource({ location: '.', subdir: '../etc' }).read()).rejects.toThrow('--git-path ../etc: must stay inside the repository');
    await expect(new GitSource({ location: '/no/such/dir' }).read()).rejects.toThrow('--git /no/such/dir: not a directory');
  });
});
