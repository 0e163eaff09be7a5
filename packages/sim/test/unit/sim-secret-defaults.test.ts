import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/defaults.js';

describe('secrets', () => {
  it('store stringData base64-encoded in data, overriding data, and drop it', () => {
    const secret = applyDefaults('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      data: { token: 'dG9rZW4=', password: 'b2xk' },
      stringData: { password: 'hunter2' },
    });
    expect(secret.data).toEqual({ token: 'dG9rZW4=', password: Buffer.from('hunter2').toString('base64') });
    expect(secret.stringData).toBeUndefined();
    expect(secret.type).toBe('Opaque');
  });
});
