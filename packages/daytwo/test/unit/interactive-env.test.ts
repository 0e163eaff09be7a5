import { expect, it } from 'vitest';
import { forgetCiForInteractiveTerminal } from '../../src/cli/interactive-env.js';

it('clears the variables that would make Ink paint nothing until exit, and only those', () => {
  const env: NodeJS.ProcessEnv = { CI: 'true', CONTINUOUS_INTEGRATION: '1', TERM: 'xterm-256color', HOME: '/root' };
  forgetCiForInteractiveTerminal(env);
  expect(env).toEqual({ TERM: 'xterm-256color', HOME: '/root' });
});
