/**
 * Issue 14: the console benchmark (bench/console.bench.mjs) on the `xlarge` scenario, at the
 * Kubernetes scalability thresholds (5,000 nodes, 150,000 pods), with the Namespaces view
 * open: the real CLI's start-up in tmux, churn, soak. Targets: the first complete table in at
 * most 15 s and at most 1 GiB of RSS through churn. What is measured: bench/lib/console-run.mjs.
 */
import { runConsoleBench } from './lib/console-run.mjs';

await runConsoleBench({
  name: 'console-xlarge',
  view: 'namespaces',
  cliStartup: true,
  scenario: 'xlarge',
  targets: { firstTableMs: 15_000, rssMiB: 1024 },
});
