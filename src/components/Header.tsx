import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../hooks/use-app-store.js';
import { connectionHealth, objectCounts } from './shell-model.js';

const HEALTH_COLOR = { ok: 'green', warn: 'yellow', error: 'red' } as const;

/** Lines the header takes. */
export const HEADER_LINES = 2;

/**
 * Two lines: context, Kubernetes version, READ-ONLY, connection health and server (least
 * important last, as a narrow terminal truncates the end); then the scope, the `-n` limit
 * and object counts.
 */
export function Header({ width }: { readonly width: number }): ReactElement {
  const cluster = useAppStore((s) => s.cluster);
  const scope = useAppStore((s) => s.scope);
  const health = useAppStore(useShallow((s) => connectionHealth(s.connection, s.cluster)));
  const counts = useAppStore((s) => objectCounts(s.objects));
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold color="cyan">
          daytwo
        </Text>
        {`  ${cluster.context || '-'}  ${cluster.version ?? 'v?'}  `}
        {cluster.readonly ? (
          <Text color="yellow" bold>
            {'READ-ONLY  '}
          </Text>
        ) : null}
        <Text color={HEALTH_COLOR[health.level]} bold={health.level !== 'ok'}>
          {health.text}
        </Text>
        {`  ${cluster.server || '-'}`}
      </Text>
      <Text wrap="truncate">
        {'scope: '}
        <Text bold color={scope ? 'yellow' : undefined}>
          {scope ?? 'all namespaces'}
        </Text>
        {cluster.namespace ? `  (-n ${cluster.namespace})` : ''}
        <Text dimColor>{`  ${counts}`}</Text>
      </Text>
    </Box>
  );
}
