import { AuditLog } from '../kube/audit.js';

/**
 * The audit log of a CLI command: a line that cannot be written after an action ran is
 * reported on stderr at once, next to the action's own outcome (which stands).
 */
export function cliAudit(err: { write(text: string): unknown } = process.stderr): { audit: AuditLog; reportAuditFailure: (message: string) => void } {
  return { audit: new AuditLog(), reportAuditFailure: (message) => err.write(`error: ${message}\n`) };
}
