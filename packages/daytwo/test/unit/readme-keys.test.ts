import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keymapDocs, withKeymapDocs } from '../../src/views/keymap-docs.js';
import { VIEWS } from '../../src/views/registry.js';

describe('the README key reference', () => {
  it('is the one generated from the keymaps (run `npm run docs` after changing keys)', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    expect(withKeymapDocs(readme)).toBe(readme);
  });

  it('lists every view and every binding of every view', () => {
    const doc = keymapDocs();
    for (const view of VIEWS) {
      expect(doc).toContain(`**${view.title}**`);
      for (const b of view.keymap) expect(doc).toContain(b.description);
    }
  });
});
