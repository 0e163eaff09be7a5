import { KUBE_YAML_OPTIONS, resolvePlainScalar } from '@daytwo/k8s/kube-yaml.js';
import type { Deployment } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseManifestFile } from '../../../src/domain/drift/manifests.js';

const spec = (body: string) => {
  const { objects, errors } = parseManifestFile('f.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nspec:\n${body}`);
  expect(errors).toEqual([]);
  return (objects[0].manifest as unknown as { spec: Record<string, unknown> }).spec;
};

describe('manifests read as kubectl reads them (sigs.k8s.io/yaml over go-yaml v2)', () => {
  it('reads a leading-zero integer as octal: defaultMode 0644 is 420', () => {
    const { objects } = parseManifestFile(
      'web.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      volumes:
      - name: cfg
        configMap: {name: cfg, defaultMode: 0644}
`,
    );
    const volume = (objects[0].manifest as Deployment).spec!.template.spec!.volumes![0];
    expect(volume.configMap!.defaultMode).toBe(420);
  });

  it('resolves plain scalars like go-yaml v2 resolve.go and Go strconv.ParseInt(s, 0, 64)', () => {
    expect(
      spec(`  octal: 0644
  octalO: 0o644
  hex: 0x1F
  negHex: -0x1F
  bin: 0b101
  negBin: -0b101
  underscores: 1_000
  plus: +12
  notOctal: 08
  float: 1e3
  dotFloat: .5
  floatInt: 3.0
  yes: yes
  off: off
  onValue: on
  yLetter: y
  nLetter: N
  tilde: ~
  empty:
  sexagesimal: 1:20
  time: 2024-01-02
  quoted: "0644"
  tagged: !!str 0644
  prefixOnly: 0b
`),
    ).toEqual({
      octal: 420,
      octalO: 420,
      hex: 31,
      negHex: -31,
      bin: 5,
      negBin: -5,
      underscores: 1000,
      plus: 12,
      notOctal: 8,
      float: 1000,
      dotFloat: 0.5,
      floatInt: 3,
      // Non-string keys become strings (sigs.k8s.io/yaml convertToJSONableObject).
      true: true,
      false: false,
      onValue: true,
      yLetter: true,
      nLetter: false,
      tilde: null,
      empty: null,
      sexagesimal: '1:20',
      time: '2024-01-02',
      quoted: '0644',
      tagged: '0644',
      prefixOnly: '0b',
    });
  });

  it('expands << merge keys', () => {
    expect(spec(`  base: &b {x: 1}\n  merged: {<<: *b, z: 2}\n`).merged).toEqual({ x: 1, z: 2 });
  });

  it('answers undefined for what stays a string', () => {
    for (const s of ['1:20', 'abc', '0x', 'Yes please', '--1', '1.2.3', '_1']) expect(resolvePlainScalar(s)).toBeUndefined();
  });

  it('is the parser the simulated API server uses for apply bodies too', () => {
    expect(parse('mode: 0644', KUBE_YAML_OPTIONS)).toEqual({ mode: 420 });
  });
});
