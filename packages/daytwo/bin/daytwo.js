#!/usr/bin/env node
// React (under Ink) runs its development build unless NODE_ENV says production: several
// times slower per render and noisy. A user's own NODE_ENV is respected
// (as terraform-cdk does for its Ink CLI, hashicorp/terraform-cdk#129). Set before the CLI
// is imported, since React picks its build when first loaded.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/cli.js');

// Exits as soon as the command is done: a watch or timer left behind must not hold the
// shell. (Writes to pipes and files are synchronous on POSIX, so nothing printed is lost.)
main(process.argv.slice(2)).then(
  (code) => process.exit(typeof code === 'number' ? code : 0),
  (err) => {
    process.stderr.write(`daytwo: ${err?.message ?? err}\n`);
    process.exit(2);
  },
);
