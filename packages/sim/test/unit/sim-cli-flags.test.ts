import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { parseSimArgs, runSimCommand, SimUsageError } from '../../src/cli.js';
import { createControllers } from '../../src/controllers/index.js';
import { loadScenario } from '../../src/scenarios/index.js';
import { MemoryStore } from '../../src/store.js';
import { capture } from '../helpers/capture.js';


describe('daytwo sim size flags', () => {
  it('refuses --nodes and --pods for the fixed-size scenarios instead of ignoring them', async () => {
    const cases: [string[], string][] = [
      [['--scenario', 'demo', '--nodes', '3'], '--nodes applies only to --scenario large and xlarge (the demo scenario has a fixed size)'],
      [['--scenario', 'empty', '--pods', '5'], '--pods applies only to --scenario large and xlarge (the empty scenario has a fixed size)'],
      [['--nodes', '3'], '--nodes applies only to --scenario large and xlarge (the demo scenario has a fixed size)'],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseSimArgs(argv)).toThrow(new SimUsageError(message));
      const out = capture();
      const err = capture();
      expect(await runSimCommand(argv, { stdout: out.stream, stderr: err.stream })).toBe(2);
      expect(err.text()).toBe(`daytwo sim: ${message}\n`);
      expect(out.text()).toBe('');
    }
    expect(parseSimArgs(['--scenario', 'large', '--nodes', '3', '--pods', '5'])).toMatchObject({ options: { nodes: 3, pods: 5 } });
  });

  it('refuses them in-process too', () => {
    expect(() => loadScenario('empty', new MemoryStore(), { nodes: 3, controllers: createControllers() })).toThrow(
      'nodes and pods apply only to the large and xlarge scenarios, not empty',
    );
  });

  it('names every context of the kubeconfig it wrote in the start-up banner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daytwo-sim-banner-'));
    try {
      const path = join(dir, 'sim.kubeconfig');
      const out = capture();
      const stop = new AbortController();
      const exit = runSimCommand(['--scenario', 'empty', '--controllers', 'none', '--kubeconfig-out', path], {
        stdout: out.stream,
        stderr: capture().stream,
        signal: stop.signal,
      });
      await vi.waitFor(() => expect(out.text()).toContain('export KUBECONFIG='), { timeout: 20_000, interval: 20 });
      const contexts: string[] = parse(readFileSync(path, 'utf8')).contexts.map((c: { name: string }) => c.name);
      expect(contexts).toContain('daytwo-sim-operator');
      expect(out.text()).toContain(`contexts ${contexts.join(', ')})`);
      stop.abort();
      expect(await exit).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
