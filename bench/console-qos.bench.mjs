/**
 * The console benchmark (bench/console.bench.mjs) with the QoS view open through
 * churn and soak: the view that derives a row per pod, so the one whose memory and
 * latency grow most with the cluster. What is measured and how: bench/lib/console-run.mjs.
 */
import { runConsoleBench } from './lib/console-run.mjs';

await runConsoleBench({ name: 'console-qos', view: 'qos' });
