import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ImportGraph, importCycles, readImportGraph, ruleViolations } from '../helpers/import-graph.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('dependency rules', () => {
  const graph = readImportGraph(ROOT);

  it('reads the imports of all three packages', () => {
    const files = [...graph.keys()];
    for (const pkg of ['k8s', 'sim', 'daytwo']) expect(files.some((f) => f.startsWith(`packages/${pkg}/src/`))).toBe(true);
  });

  it('no import breaks a layering rule', () => {
    expect(ruleViolations(graph)).toEqual([]);
  });

  it('no import cycle exists', () => {
    expect(importCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });
});

describe('the checker itself', () => {
  const synthetic: ImportGraph = new Map([
    ['packages/daytwo/src/views/X.tsx', ['packages/daytwo/src/kube/http.ts', 'react']],
    ['packages/daytwo/src/domain/a.ts', ['packages/daytwo/src/store/app-store.ts', 'ink', 'packages/daytwo/src/domain/b.ts']],
    ['packages/daytwo/src/domain/b.ts', ['packages/daytwo/src/domain/a.ts']],
    ['packages/daytwo/src/report/r.ts', ['packages/daytwo/src/cli/usage.ts']],
    ['packages/sim/src/s.ts', ['packages/daytwo/src/domain/format.ts']],
    ['packages/k8s/src/k.ts', ['packages/sim/src/s.ts']],
    ['packages/daytwo/src/kube/http.ts', []],
  ]);

  it('names the file and the import of each violation', () => {
    const found = ruleViolations(synthetic).map((v) => v.split(' (')[0]);
    expect(found).toEqual([
      'packages/daytwo/src/views/X.tsx imports packages/daytwo/src/kube/http.ts',
      'packages/daytwo/src/domain/a.ts imports packages/daytwo/src/store/app-store.ts',
      'packages/daytwo/src/domain/a.ts imports ink',
      'packages/daytwo/src/report/r.ts imports packages/daytwo/src/cli/usage.ts',
      'packages/sim/src/s.ts imports packages/daytwo/src/domain/format.ts',
      'packages/k8s/src/k.ts imports packages/sim/src/s.ts',
    ]);
  });

  it('reports a cycle with its files', () => {
    expect(importCycles(synthetic)).toEqual([['packages/daytwo/src/domain/a.ts', 'packages/daytwo/src/domain/b.ts']]);
  });
});
