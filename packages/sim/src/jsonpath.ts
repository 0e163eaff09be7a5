/**
 * The part of client-go's JSONPath (k8s.io/client-go/util/jsonpath) that CRD
 * `additionalPrinterColumns` use: field steps (`.spec.replicas`, `['a.b']`), indices and
 * slices' simplest form (`[0]`, `[-1]`, `[*]`) and equality filters
 * (`[?(@.type=="Ready")]`). The API server validates the path when the CRD is written;
 * here a path outside this subset simply finds nothing.
 */

type Step =
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'index'; readonly index: number }
  | { readonly type: 'all' }
  | { readonly type: 'filter'; readonly path: readonly string[]; readonly op: '==' | '!='; readonly value: unknown };

/** Parses a printer column path (`.status.conditions[?(@.type=="Ready")].status`); undefined outside the subset. */
export function parseJsonPath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = 0;
  const text = path.trim().replace(/^\{(.*)\}$/s, '$1');
  while (i < text.length) {
    if (text[i] === '.') {
      const m = /^\.([A-Za-z0-9_-]+)/.exec(text.slice(i));
      if (!m) return undefined;
      steps.push({ type: 'field', name: m[1] });
      i += m[0].length;
      continue;
    }
    if (text[i] !== '[') return undefined;
    const end = text.indexOf(']', i);
    if (end < 0) return undefined;
    const inner = text.slice(i + 1, end).trim();
    i = end + 1;
    const quoted = /^(['"])(.*)\1$/.exec(inner);
    if (quoted) steps.push({ type: 'field', name: quoted[2] });
    else if (inner === '*') steps.push({ type: 'all' });
    else if (/^-?\d+$/.test(inner)) steps.push({ type: 'index', index: Number(inner) });
    else {
      const filter = /^\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*(.+)\)$/.exec(inner);
      if (!filter) return undefined;
      const raw = filter[3].trim();
      const str = /^(['"])(.*)\1$/.exec(raw);
      const value = str ? str[2] : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
      steps.push({ type: 'filter', path: filter[1].slice(1).split('.'), op: filter[2] as '==' | '!=', value });
    }
  }
  return steps;
}

/** The values `path` finds in `data`, in order (client-go's FindResults with AllowMissingKeys). */
export function findJsonPath(data: unknown, steps: readonly Step[]): unknown[] {
  let current: unknown[] = [data];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.type === 'field') {
        if (isRecord(value) && value[step.name] !== undefined) next.push(value[step.name]);
      } else if (!Array.isArray(value)) {
      } else if (step.type === 'index') {
        const at = step.index < 0 ? value.length + step.index : step.index;
        if (at >= 0 && at < value.length) next.push(value[at]);
      } else if (step.type === 'all') {
        next.push(...value);
      } else {
        for (const item of value) {
          let field: unknown = item;
          for (const name of step.path) field = isRecord(field) ? field[name] : undefined;
          if (field !== undefined && (step.op === '==') === (field === step.value)) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
