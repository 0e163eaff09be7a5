import type { Reporter, TestCase } from 'vitest/node';

/**
 * Prints every test that passed only on a retry (the end-to-end suites retry once, see
 * test/helpers/tmux.ts `E2E`), so a flaky pass is visible instead of hidden in a green run.
 */
export default class RetryReporter implements Reporter {
  onTestCaseResult(testCase: TestCase): void {
    const retries = testCase.diagnostic()?.retryCount ?? 0;
    if (retries > 0 && testCase.result().state === 'passed') {
      process.stderr.write(`retried: ${testCase.fullName} (${retries})\n`);
    }
  }
}
