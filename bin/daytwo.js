#!/usr/bin/env node
// The repository root's entry point, so `node bin/daytwo.js` works from a clone; the
// package's own is packages/daytwo/bin/daytwo.js.
await import('../packages/daytwo/bin/daytwo.js');
