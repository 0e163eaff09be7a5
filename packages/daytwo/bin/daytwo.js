#!/usr/bin/env node
// React (under Ink) runs its development build unless NODE_ENV says production: several
// times slower per render and noisy. A user's own NODE_ENV is respected
// (as terraform-cdk does for its Ink CLI, hashicorp/terraform-cdk#129). Set before the CLI
// is imported, since React picks its build when first loaded.
process.env.NODE_ENV ??= 'production';
// The bundle `npm run build` makes of dist/ (scripts/bundle.mjs): one file loads faster than
// the thousand modules it holds.
const { main } = await import('../bundle/cli.js');

// Exits as soon as the command is done, so a watch or timer left behind cannot hold the shell,
// but only once stdout and stderr are flushed: writes to a pipe are asynchronous on POSIX
// (Node's "note on process I/O"), and exiting earlier cut `daytwo report -o json | jq` or
// `daytwo logs | less` to the 64 KiB the pipe held when the reader was slower than daytwo.
function exitWhenFlushed(code) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(typeof code === 'number' ? code : 0),
  (err) => {
    process.stderr.write(`daytwo: ${err?.message ?? err}\n`);
    exitWhenFlushed(2);
  },
);
