/** Types of report.mjs, for the TypeScript tests that import it. */
export interface Metric {
  value: number | null;
  unit: string;
  target?: number | string;
  better?: 'higher';
  pass?: boolean;
}
export interface BenchResult {
  name: string;
  date: string;
  machine: { cpus: number; cpuModel?: string; node: string; memGiB: number; loadAvg?: number[] };
  metrics: Record<string, Metric>;
  notes: string[];
}
export function metric(value: number | undefined, unit: string, target?: number, opts?: { better?: 'lower' | 'higher' }): Metric;
export function formatTarget(m: Partial<Metric>): string;
export function round(value: number): number;
export function percentile(values: readonly number[], p: number): number | undefined;
export function median(values: readonly number[]): number | undefined;
export function machineInfo(): BenchResult['machine'];
export function benchResult(name: string, metrics: Record<string, Metric>, notes: readonly string[]): BenchResult;
export function renderResultsMarkdown(results: readonly unknown[], unreadable?: readonly { file: string; error: string }[]): string;
