import { Box, Text } from 'ink';
import { type ReactElement, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { storeRef } from '../domain/object-ref.js';
import { nodeEvictionOrder } from '../domain/qos-detail.js';
import { qosPodRow } from '../domain/qos-summary.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { usePodUsage } from '../hooks/use-pod-usage.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import { QosPodDetail } from './QosPodDetail.js';
import { useShell } from './shell.js';
import { useObjectActions } from './use-object-actions.js';
import { ViewFooter } from './ViewFooter.js';

/** What `openView('qos-pod', params)` takes: the pod to explain. */
export interface QosPodParams {
  readonly namespace: string;
  readonly name: string;
}

/** The key context of the pod detail. */
export interface QosPodContext extends ObjectKeyContext {
  readonly found: boolean;
  openLogs(): void;
}

/** Keys of the pod detail; Esc (global) returns to the list it was opened from. */
export const QOS_POD_KEYMAP: Keymap<QosPodContext> = [
  {
    id: 'qos.podLogs',
    keys: ['l'],
    description: 'Logs of this pod',
    category: 'View',
    action: (c) => c.openLogs(),
    visible: (c) => c.found,
    hint: 'logs',
  },
  ...objectKeyBindings<QosPodContext>('qospod', { podActions: true, portForward: true }),
];

/** Lines of the view's footer. */
const FOOTER_LINES = 1;

function isQosPodParams(params: unknown): params is QosPodParams {
  if (params === null || typeof params !== 'object') return false;
  const { namespace, name } = params as Record<string, unknown>;
  return typeof namespace === 'string' && namespace !== '' && typeof name === 'string' && name !== '';
}

/**
 * `:qos-pod NAMESPACE/NAME`, or `:qos-pod NAME` in the scoped namespace: the params of the
 * pod detail, or a one-line error.
 */
export function qosPodCommandParams(args: string, namespace: string | undefined): { params: QosPodParams } | { error: string } {
  const text = args.trim();
  const slash = text.indexOf('/');
  if (slash > 0 && slash < text.length - 1 && !text.includes('/', slash + 1)) {
    return { params: { namespace: text.slice(0, slash), name: text.slice(slash + 1) } };
  }
  if (text !== '' && !text.includes('/') && !/\s/.test(text) && namespace) return { params: { namespace, name: text } };
  return { error: `qos-pod needs a pod as NAMESPACE/NAME${namespace ? ' or NAME' : ''}, got "${text}"` };
}

/**
 * One pod's QoS in detail: each container (init containers too) with its requests and
 * limits, which rule made the class, and where the pod stands in its node's eviction order
 * under memory pressure. Opened by `Enter` in the QoS view; live as the pod changes.
 */
export function QosPodView(): ReactElement {
  const shell = useShell();
  const params = isQosPodParams(shell.params) ? shell.params : undefined;
  const key = params ? `${params.namespace}/${params.name}` : '';
  const { pod, pods } = useAppStore(useShallow((s) => ({ pod: s.objects.pods.get(key), pods: s.objects.pods })));
  const row = useMemo(() => (pod ? qosPodRow(pod) : undefined), [pod]);
  // The node's pods span namespaces, so usage is asked for all of them.
  const usage = usePodUsage(shell.callbacks.actions);
  const order = useMemo(() => (pod ? nodeEvictionOrder(pod, pods.values(), usage) : undefined), [pod, pods, usage]);

  const objectActions = useObjectActions(() => (params && row ? { ref: storeRef('pods', params.namespace, params.name) } : undefined));
  const ctx: QosPodContext = {
    objectActions,
    found: row !== undefined,
    openLogs: () => {
      if (params) shell.openView('logs', { namespace: params.namespace, name: params.name });
    },
  };
  useKeymap(QOS_POD_KEYMAP, ctx, { scope: 'view' });

  const height = shell.height - FOOTER_LINES;
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        {row ? (
          <QosPodDetail row={row} order={order} width={shell.width} height={height} usage={usage} />
        ) : (
          <Text wrap="truncate" color="yellow">
            {params
              ? `pod ${key} is not in the cluster (deleted, or not listed yet); Esc goes back`
              : 'no pod to show: open one with Enter in the QoS view, or :qos-pod NAMESPACE/NAME'}
          </Text>
        )}
      </Box>
      <ViewFooter keymap={QOS_POD_KEYMAP} ctx={ctx} />
    </Box>
  );
}
