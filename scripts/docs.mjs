// Regenerates the README's key reference from the keymaps (run through `npm run docs`).
import { readFileSync, writeFileSync } from 'node:fs';
import { withKeymapDocs } from '../packages/daytwo/dist/views/keymap-docs.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withKeymapDocs(readFileSync(path, 'utf8')));
console.error('README.md: key reference regenerated');
