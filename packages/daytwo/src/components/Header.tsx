import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../hooks/use-app-store.js';
import { connectionHealth, objectCounts } from './shell-model.js';
import { alertCounts } from '../domain/alerts.js';

const HEALTH_COLOR = { ok: 'green', warn: 'yellow', error: 'red' } as const;

/** Lines the header takes. */
export const HEADER_LINES = 2;

/**
 * Two lines: context, Kubernetes version, READ-ONLY, connection health, the alert badge and server (least
 * important last, as a narrow terminal truncates the end); then the scope (the `-n`
 * namespace when given), the last connection error (ahead of the counts, so a narrow
 * terminal cuts the counts rather than the reason) and object counts.
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
        <AlertBadge />
        {`  ${cluster.server || '-'}`}
      </Text>
      <Text wrap="truncate">
        {'scope: '}
        <Text bold color={scope || cluster.namespace ? 'yellow' : undefined}>
          {scopeText(scope, cluster.namespace)}
        </Text>
        {health.detail ? <Text color={HEALTH_COLOR[health.level]}>{`  ${health.detail}`}</Text> : null}
        <Text dimColor>{`  ${counts}`}</Text>
      </Text>
    </Box>
  );
}

/**
 * The alert counts, on every view: `  alerts: 2 critical, 1 warning` (critical in red, warning
 * in yellow); nothing while there is no alert, so a quiet header means a quiet cluster and the
 * server URL keeps its room. From the same evaluation as the Health view.
 */
function AlertBadge(): ReactElement | null {
  const { critical, warning } = useAppStore(useShallow((s) => alertCounts(s.alerts)));
  if (critical === 0 && warning === 0) return null;
  return (
    <Text>
      {'  alerts: '}
      {critical > 0 ? (
        <Text color="red" bold>
          {`${critical} critical`}
        </Text>
      ) : null}
      {critical > 0 && warning > 0 ? ', ' : ''}
      {warning > 0 ? <Text color="yellow">{`${warning} warning`}</Text> : null}
    </Text>
  );
}

/**
 * `all namespaces`, `shop` (scoped in the console) or `shop (-n)`: under `-n` every watch
 * holds that namespace only, so the console never claims to show all of them.
 */
export function scopeText(scope: string | undefined, namespace: string | undefined): string {
  if (namespace && (!scope || scope === namespace)) return `${namespace} (-n)`;
  if (namespace) return `${scope} (-n ${namespace})`;
  return scope ?? 'all namespaces';
}
