import { Text } from 'ink';
import { type ReactElement, useEffect, useState } from 'react';
import type { MessageLevel } from '../store/app-store.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { MESSAGE_TTL_MS, visibleMessage } from './shell-model.js';

const LEVEL_STYLE: Record<MessageLevel, { color: string; mark: string }> = {
  info: { color: 'blue', mark: 'i' },
  success: { color: 'green', mark: '✓' },
  warning: { color: 'yellow', mark: '!' },
  error: { color: 'red', mark: '✗' },
};

/**
 * The newest message of the store: errors stay until dismissed (`x`), others fade after
 * {@link MESSAGE_TTL_MS}. Empty when there is nothing to say.
 */
export function StatusLine({ dismissKey }: { readonly dismissKey: string }): ReactElement {
  const messages = useAppStore((s) => s.messages);
  // Rendering reads the clock; the timer only asks for a render when the shown message fades.
  const [, setFaded] = useState(0);
  const message = visibleMessage(messages, Date.now());
  useEffect(() => {
    if (!message || message.level === 'error') return;
    const timer = setTimeout(() => setFaded((n) => n + 1), Math.max(0, message.at + MESSAGE_TTL_MS - Date.now()) + 10);
    return () => clearTimeout(timer);
  }, [message]);
  if (!message) return <Text> </Text>;
  const style = LEVEL_STYLE[message.level];
  return (
    <Text wrap="truncate" color={style.color}>
      {`${style.mark} ${message.text}`}
      {message.level === 'error' ? <Text dimColor>{`  (${dismissKey} dismisses)`}</Text> : null}
    </Text>
  );
}
