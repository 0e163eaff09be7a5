/** Variables by which Ink (through is-in-ci) decides it writes to a CI log rather than a terminal. */
export const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/**
 * Clears the CI variables before Ink is loaded. Ink reads them once, at import, and in "CI"
 * it paints nothing until it exits, which leaves a console that is blank for good. The console
 * only runs on a TTY, and a TTY is a person at a terminal whatever the environment says (an
 * SSH session opened from a CI runner, a shell that exports CI=true).
 */
export function forgetCiForInteractiveTerminal(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of CI_VARIABLES) delete env[name];
}
