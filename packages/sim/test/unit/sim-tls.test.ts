import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../src/tls.js';

describe('selfSignedCertificate', () => {
  it('produces certificates that parse and verify, for many random serials', () => {
    for (let i = 0; i < 200; i++) {
      const { cert, key } = selfSignedCertificate(['127.0.0.1', '::1', 'localhost']);
      const x509 = new X509Certificate(cert);
      expect(x509.verify(x509.publicKey)).toBe(true);
      expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    }
  });

  it('names the hosts as subjectAltName and is its own CA', () => {
    const x509 = new X509Certificate(selfSignedCertificate(['127.0.0.1', '::1', 'localhost']).cert);
    expect(x509.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.ca).toBe(true);
    expect(x509.subject).toBe('CN=daytwo-sim');
    expect(x509.issuer).toBe('CN=daytwo-sim');
    expect(Date.parse(x509.validTo)).toBeGreaterThan(Date.now() + 300 * 24 * 3600_000);
  });
});
