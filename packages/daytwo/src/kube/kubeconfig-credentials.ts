/**
 * The TLS material and token file of the context in use, checked when the kubeconfig is
 * loaded, as client-go does before its first request (clientcmd validation.go,
 * client_config.go, transport.TLSConfigFor): an unreadable or corrupt certificate, key or
 * token file is named with its kubeconfig field here, instead of surfacing later as a
 * "self-signed certificate", an OpenSSL decoder error or a stream of 401s.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A problem with one field: `cluster "prod" certificate-authority-data: unable to load root certificates: ...`. */
export class CredentialFieldError extends Error {
  override name = 'CredentialFieldError';
}

type Entry = Readonly<Record<string, unknown>>;

/** transport.TLSConfigFor's refusal, word for word. */
export const CA_WITH_INSECURE = 'specifying a root certificates file with the insecure flag is not allowed';

/**
 * Checks the cluster entry in use: a CA together with `insecure-skip-tls-verify: true` is
 * refused as kubectl refuses it, and the CA (file or data) must hold PEM certificates.
 */
export function checkClusterTls(name: string, cluster: Entry): void {
  const caFile = text(cluster['certificate-authority']);
  const caData = text(cluster['certificate-authority-data']);
  if (cluster['insecure-skip-tls-verify'] === true && (caFile || caData)) throw new CredentialFieldError(`cluster "${name}": ${CA_WITH_INSECURE}`);
  // certificate-authority-data overrides the file when both are set (validation.go).
  const field = caData ? 'certificate-authority-data' : 'certificate-authority';
  const pem = caData ? decodeData(`cluster "${name}" ${field}`, caData) : caFile ? readField(`cluster "${name}" ${field}`, caFile, 'certificate-authority', name) : undefined;
  if (pem === undefined) return;
  try {
    parseCertificates(pem);
  } catch (err) {
    throw new CredentialFieldError(`cluster "${name}" ${field}${caData ? '' : ` (${caFile})`}: unable to load root certificates: ${(err as Error).message}`);
  }
}

/**
 * Checks the user entry in use and returns its bearer token when it comes from
 * `tokenFile` (read now, as client-go's getUserIdentificationPartialConfig reads it; an
 * inline `token` wins). The client certificate and key must parse and match.
 */
export function checkUserCredentials(name: string, user: Entry): { token?: string } {
  const certData = text(user['client-certificate-data']);
  const certFile = text(user['client-certificate']);
  const keyData = text(user['client-key-data']);
  const keyFile = text(user['client-key']);
  if (certData || certFile) {
    const certField = certData ? 'client-certificate-data' : 'client-certificate';
    const keyField = keyData ? 'client-key-data' : 'client-key';
    const where = (field: string, file: string | undefined) => `user "${name}" ${field}${file && !field.endsWith('-data') ? ` (${file})` : ''}`;
    if (!keyData && !keyFile) throw new CredentialFieldError(`user "${name}": client-key-data or client-key must be specified for ${name} to use the clientCert authentication method.`);
    const certPem = certData ? decodeData(where(certField, undefined), certData) : readField(where(certField, certFile), certFile as string, 'client-cert', name);
    const keyPem = keyData ? decodeData(where(keyField, undefined), keyData) : readField(where(keyField, keyFile), keyFile as string, 'client-key', name);
    let cert: X509Certificate;
    try {
      [cert] = parseCertificates(certPem);
    } catch (err) {
      const message = (err as Error).message;
      const reason = message === 'unable to parse bytes as PEM block' ? 'failed to find any PEM data in certificate input' : message;
      throw new CredentialFieldError(`${where(certField, certFile)}: tls: ${reason}`);
    }
    let key: KeyObject;
    try {
      if (!keyPem.includes('-----BEGIN')) throw new Error('failed to find any PEM data in key input');
      key = createPrivateKey(keyPem);
    } catch (err) {
      // Go's tls.X509KeyPair words; OpenSSL's decoder text says nothing to a kubeconfig's owner.
      const reason = firstLine(err).startsWith('failed to find') ? firstLine(err) : 'failed to parse private key';
      throw new CredentialFieldError(`${where(keyField, keyFile)}: tls: ${reason}`);
    }
    if (!cert.checkPrivateKey(key)) throw new CredentialFieldError(`${where(keyField, keyFile)}: tls: private key does not match public key`);
  }
  const tokenFile = text(user.tokenFile);
  if (text(user.token) || !tokenFile) return {};
  let token: string;
  try {
    token = readFileSync(tokenFile, 'utf8').trim();
  } catch (err) {
    throw new CredentialFieldError(`user "${name}" tokenFile: ${goOpenError(err, tokenFile)}`);
  }
  // transport's cachingTokenSource refuses an empty token file.
  if (!token) throw new CredentialFieldError(`user "${name}" tokenFile: read empty token from file "${tokenFile}"`);
  return { token };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** Go's `open /path: no such file or directory`. */
function goOpenError(err: unknown, file: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : firstLine(err);
  return `open ${file}: ${reason}`;
}

/** validation.go's `unable to read client-key /path for alice due to open /path: ...`. */
function readField(where: string, file: string, what: string, owner: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CredentialFieldError(`${where}: unable to read ${what} ${file} for ${owner} due to ${goOpenError(err, file)}`);
  }
}

/** The `-data` fields are base64 in the file (Go's []byte in YAML). */
function decodeData(where: string, data: string): string {
  const compact = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    const bad = compact.search(/[^A-Za-z0-9+/=]/);
    throw new CredentialFieldError(`${where}: illegal base64 data at input byte ${bad >= 0 ? bad : compact.length}`);
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** Every CERTIFICATE block of a PEM bundle; throws client-go's words when there is none. */
function parseCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) throw new Error('unable to parse bytes as PEM block');
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new Error(`x509: ${firstLine(err)}`);
    }
  });
}
