/** How urgent a status-line message is. */
export type MessageLevel = 'info' | 'success' | 'warning' | 'error';

/** One status-line message. */
export interface StatusMessage {
  readonly id: number;
  readonly level: MessageLevel;
  readonly text: string;
  /** Epoch ms. Errors stay until dismissed; others may expire. */
  readonly at: number;
}

/** How long info, success and warning messages stay on the status line. Errors stay until dismissed. */
export const MESSAGE_TTL_MS = 5_000;

/**
 * The message the status line shows: the newest error (errors stay until dismissed) or a
 * newer message still within its time to live.
 */
export function visibleMessage(
  messages: readonly StatusMessage[],
  now: number,
  ttlMs: number = MESSAGE_TTL_MS,
): StatusMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.level === 'error' || now - m.at < ttlMs) return m;
  }
  return undefined;
}
