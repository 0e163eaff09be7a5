import { expect, it } from 'vitest';
import { describeError } from '../../src/kube/errors.js';

it("puts the reason of node-fetch's request failure first, before the server and path", () => {
  const err = new Error(
    'request to https://127.0.0.1:47399/apis/apps/v1/deployments?watch=true&resourceVersion=481&allowWatchBookmarks=true&timeoutSeconds=321 failed, reason: connect ECONNREFUSED 127.0.0.1:47399',
  );
  expect(describeError(err)).toBe('connect ECONNREFUSED 127.0.0.1:47399 (https://127.0.0.1:47399/apis/apps/v1/deployments)');
  expect(describeError(new Error('pods is forbidden'))).toBe('pods is forbidden');
  expect(describeError({ message: 'plain object' })).toBe('plain object');
  expect(describeError('text')).toBe('text');
});
