// Tests that render Ink in-process stand for the console on a terminal, so they load Ink the
// way `daytwo` does: after the CI variables are cleared (see interactive-env.ts).
import { forgetCiForInteractiveTerminal } from '../../src/cli/interactive-env.js';

forgetCiForInteractiveTerminal();
