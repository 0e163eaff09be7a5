/**
 * The import graph of packages/*\/src and the dependency rules of the README's Development
 * section, checked by test/unit/dependency-rules.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** file (repository-relative) -> the specifiers it imports, resolved where they are ours. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

// Static imports and re-exports (`import type` included), side-effect imports, and import().
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveTs(path: string): string | undefined {
  const base = path.replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

/** Reads every import under `<root>/packages/<pkg>/src`; our own modules resolve to their file. */
export function readImportGraph(root: string): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', pkg, 'src');
    if (!existsSync(src)) continue;
    for (const file of sourceFiles(src)) {
      // Comments would otherwise yield imports that do not exist.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      const targets: string[] = [];
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3];
        const ours = spec.startsWith('.')
          ? resolveTs(resolve(dirname(file), spec))
          : /^@daytwo\/([^/]+)\/(.+)$/.exec(spec)
            ? resolveTs(join(root, 'packages', spec.split('/')[1], 'src', spec.split('/').slice(2).join('/')))
            : undefined;
        targets.push(ours ? relative(root, ours) : spec);
      }
      graph.set(relative(root, file), targets);
    }
  }
  return graph;
}

interface Rule {
  readonly why: string;
  readonly from: RegExp;
  readonly to: RegExp;
}

/** The layering rules (DESIGN.md): each names the importing files and what they may not import. */
export const RULES: readonly Rule[] = [
  { why: 'views, components and hooks read the store, never kube/', from: /^packages\/daytwo\/src\/(views|components|hooks)\//, to: /^packages\/daytwo\/src\/kube\// },
  { why: 'domain is pure: no store, kube, React or Ink', from: /^packages\/daytwo\/src\/domain\//, to: /^(packages\/daytwo\/src\/(store|kube)\/|react$|react\/|ink$|ink\/)/ },
  { why: 'report/ presents; loading and options belong to cli/', from: /^packages\/daytwo\/src\/report\//, to: /^packages\/daytwo\/src\/(cli|kube)\// },
  { why: 'the simulated cluster depends only on k8s', from: /^packages\/sim\//, to: /^(packages\/daytwo\/|@daytwo\/daytwo\b|daytwo$)/ },
  { why: 'k8s is the shared base: it imports neither side', from: /^packages\/k8s\//, to: /^(packages\/(daytwo|sim)\/|@daytwo\/(daytwo|sim)\b)/ },
];

/** `file imports target` for every import that breaks a rule, with the rule's reason. */
export function ruleViolations(graph: ImportGraph, rules: readonly Rule[] = RULES): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      for (const rule of rules) if (rule.from.test(file) && rule.to.test(target)) out.push(`${file} imports ${target} (${rule.why})`);
    }
  }
  return out;
}

/** Every import cycle among our files, each as its files in import order (Tarjan's strongly connected components). */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.reverse());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
