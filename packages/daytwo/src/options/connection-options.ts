import type { ParseArgsConfig } from 'node:util';

/** The options every subcommand that talks to a cluster takes, the same way. */
export const CONNECTION_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  demo: { type: 'boolean' },
  readonly: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export interface ConnectionOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly demo: boolean;
  readonly readonly: boolean;
}

export function connectionOptions(values: Record<string, unknown>): ConnectionOptions {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const namespace = str('namespace');
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    throw new UsageError(`invalid namespace "${namespace}": must be a lower-case RFC 1123 label`);
  }
  return {
    kubeconfig: str('kubeconfig'),
    context: str('context'),
    namespace,
    demo: values.demo === true,
    readonly: values.readonly === true,
  };
}

/** Bad arguments: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
