// Bundles the built CLI (packages/daytwo/dist/cli.js, what `tsc -b` emits) and the modules it
// imports into packages/daytwo/bundle/, which bin/daytwo.js runs.
//
// Why: Node resolves, reads and compiles every ES module on its own. Unbundled, `daytwo`
// loaded about 1,100 files before its first request (@kubernetes/client-node's KubeConfig
// alone pulls in the whole generated API), 0.45 s on an idle CPU and over 1 s on a busy one.
// The bundle loads in about 0.11 s. Commands loaded on demand (drain, logs, sim, the console's
// views...) stay separate chunks, so `daytwo report` does not load Ink.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'packages/daytwo/bundle');

rmSync(outDir, { recursive: true, force: true });
await build({
  input: join(root, 'packages/daytwo/dist/cli.js'),
  platform: 'node',
  // Ink imports React's devtools only when DEV is set, and it is not a dependency.
  external: ['react-devtools-core'],
  logLevel: 'warn',
  output: { dir: outDir, format: 'esm', entryFileNames: 'cli.js', chunkFileNames: 'chunks/[name]-[hash].js' },
});
