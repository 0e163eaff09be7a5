/**
 * Issue 3: the console against the `large` scenario (1,000 nodes, 30,000 pods) with the
 * Namespaces view open: the real CLI's start-up from process start (in tmux), first
 * complete table, event-to-frame latency while pods churn, RSS and retained heap through
 * churn and a soak, `kubectl get pods -A` for comparison.
 * What is measured and how: bench/lib/console-run.mjs.
 */
import { runConsoleBench } from './lib/console-run.mjs';

await runConsoleBench({ name: 'console', view: 'namespaces', cliStartup: true });
