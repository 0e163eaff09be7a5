/** Kubeconfig files that point kubectl and client-node at a running sim. */

import { closeSync, constants, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { stringify } from 'yaml';

export interface SimKubeconfigOptions {
  /** The server URL, e.g. `https://127.0.0.1:38211`. */
  server: string;
  /** PEM of the certificate authority for an https server. */
  certificateAuthority?: string;
  /** Bearer token per user; `operator` and `restricted` are optional. */
  users: { admin: string; viewer: string; operator?: string; restricted?: string };
  /** Which user the current context authenticates as (default admin). */
  user?: 'admin' | 'viewer' | 'operator' | 'restricted';
}

export const SIM_CLUSTER_NAME = 'daytwo-sim';

/** The context name for a user: `daytwo-sim` for admin, `daytwo-sim-<user>` otherwise. */
export function simContextName(user: string): string {
  return user === 'admin' ? SIM_CLUSTER_NAME : `${SIM_CLUSTER_NAME}-${user}`;
}

/**
 * A kubeconfig (YAML) with cluster `daytwo-sim`, one context per user
 * (`daytwo-sim` for admin, `daytwo-sim-viewer`, ...) and current-context per `user`.
 */
export function simKubeconfig(opts: SimKubeconfigOptions): string {
  const users = Object.entries(opts.users).filter((entry): entry is [string, string] => Boolean(entry[1]));
  const user = opts.user ?? 'admin';
  if (!users.some(([name]) => name === user)) throw new Error(`no token for sim user "${user}"`);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: SIM_CLUSTER_NAME,
        cluster: {
          server: opts.server,
          ...(opts.certificateAuthority
            ? { 'certificate-authority-data': Buffer.from(opts.certificateAuthority).toString('base64') }
            : {}),
        },
      },
    ],
    users: users.map(([name, token]) => ({ name: `${SIM_CLUSTER_NAME}-${name}`, user: { token } })),
    contexts: users.map(([name]) => ({
      name: simContextName(name),
      context: { cluster: SIM_CLUSTER_NAME, user: `${SIM_CLUSTER_NAME}-${name}`, namespace: 'default' },
    })),
    'current-context': simContextName(user),
    preferences: {},
  });
}

/**
 * Writes a kubeconfig readable only by its owner (it holds tokens). The file is created
 * afresh with O_EXCL|O_NOFOLLOW and mode 0600, so a symlink or file another user placed at
 * the (predictable) path is never written through; a regular file of our own from an
 * earlier run is replaced; anything else is refused with the path named.
 */
export function writeKubeconfig(path: string, yaml: string): void {
  const existing = lstatOrUndefined(path);
  if (existing !== undefined) {
    const ours = existing.isFile() && (process.getuid === undefined || existing.uid === process.getuid());
    if (!ours) throw new Error(`kubeconfig ${path} exists and is not a regular file of ours (a symlink?): refusing to write tokens through it`);
    unlinkSync(path);
  }
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, yaml);
  } finally {
    closeSync(fd);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
