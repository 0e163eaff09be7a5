import { describe, expect, it } from 'vitest';
import { completeCommand, parseCommand, RESOURCES_LOADING } from '../../src/components/command-model.js';
import type { ApiResource } from '../../src/domain/api-resources.js';
import { connectionHealth, objectCounts, visibleMessage } from '../../src/components/shell-model.js';
import type { ConnectionState, KindConnection, StatusMessage } from '../../src/store/app-store.js';
import { KIND_NAMES, type KindName } from '../../src/domain/kinds.js';
import { commandTargets, VIEWS } from '../../src/views/registry.js';

function connections(states: Partial<Record<KindName, [ConnectionState, string?]>>, rest: ConnectionState = 'live') {
  return Object.fromEntries(
    KIND_NAMES.map((k) => {
      const [state, error] = states[k] ?? [rest];
      return [k, { state, error, since: 0 } satisfies KindConnection];
    }),
  ) as Record<KindName, KindConnection>;
}

describe('connectionHealth', () => {
  it('is DISCONNECTED when the API server cannot be reached, whatever the watches say', () => {
    expect(connectionHealth(connections({}), { reachable: false })).toEqual({ text: 'DISCONNECTED', level: 'error' });
  });

  it('says refused credentials once, with the slow retry, whatever number of kinds share them (issue 13 case 3)', () => {
    const conn = connections({}, 'unauthorized');
    const error = 'getting credentials for user "sso": exec: executable aws failed with exit code 255: Error when retrieving token';
    for (const kind of Object.keys(conn) as (keyof typeof conn)[]) conn[kind] = { state: 'unauthorized', error, since: 1 };
    expect(connectionHealth(conn, { reachable: true })).toEqual({ text: 'unauthorized (retried every 30 s)', level: 'error', detail: error });
  });

  it('gives the reason it is DISCONNECTED: the newest error of a reconnecting kind', () => {
    const conn = connections({}, 'reconnecting');
    conn.pods = { state: 'reconnecting', error: 'connect ECONNREFUSED 127.0.0.1:6443', since: 5 };
    conn.nodes = { state: 'reconnecting', error: 'older error', since: 1 };
    expect(connectionHealth(conn, { reachable: false })).toEqual({
      text: 'DISCONNECTED',
      level: 'error',
      detail: 'connect ECONNREFUSED 127.0.0.1:6443',
    });
  });

  it('counts the kinds when many fail, so the error is not pushed off the line', () => {
    const health = connectionHealth(connections({ pods: ['reconnecting', 'watch closed: 500'] }, 'reconnecting'), { reachable: true });
    expect(health.text).toBe(`reconnecting (${KIND_NAMES.length} kinds)`);
    expect(health.detail).toBe('watch closed: 500');
    const forbidden = connectionHealth(connections({ pods: ['forbidden'], nodes: ['forbidden'], events: ['forbidden'], jobs: ['forbidden'] }), { reachable: true });
    expect(forbidden.text).toBe('forbidden (4 kinds)');
  });

  it('is live when every watched kind is', () => {
    expect(connectionHealth(connections({ events: ['idle'] }), { reachable: true })).toEqual({ text: 'live', level: 'ok' });
  });

  it('names kinds reconnecting (with the error) and forbidden, and counts those syncing', () => {
    const health = connectionHealth(
      connections({
        pods: ['reconnecting', 'connect ECONNREFUSED'],
        nodes: ['forbidden', 'nodes is forbidden'],
        events: ['syncing'],
      }),
      { reachable: true },
    );
    expect(health).toEqual({
      text: `reconnecting pods · forbidden nodes · syncing 1/${KIND_NAMES.length}`,
      level: 'warn',
      detail: 'connect ECONNREFUSED',
    });
  });
});

describe('objectCounts', () => {
  it('counts the objects of the main kinds', () => {
    const objects = Object.fromEntries(KIND_NAMES.map((k) => [k, new Map()])) as never as Parameters<typeof objectCounts>[0];
    const pods = new Map([
      ['a/p1', { metadata: {} }],
      ['a/p2', { metadata: {} }],
    ]);
    expect(objectCounts({ ...objects, pods })).toBe('ns 0 · nodes 0 · pods 2 · deploy 0 · sts 0 · ds 0 · jobs 0');
  });
});

describe('visibleMessage', () => {
  const msg = (id: number, level: StatusMessage['level'], at: number): StatusMessage => ({ id, level, text: `m${id}`, at });
  it('shows a fresh message and hides it once it is older than its time to live', () => {
    expect(visibleMessage([msg(1, 'info', 1000)], 2000, 5000)?.id).toBe(1);
    expect(visibleMessage([msg(1, 'info', 1000)], 7000, 5000)).toBeUndefined();
  });

  it('keeps an error until it is dismissed, under newer messages that faded', () => {
    const messages = [msg(1, 'error', 0), msg(2, 'success', 1000)];
    expect(visibleMessage(messages, 3000, 5000)?.id).toBe(2);
    expect(visibleMessage(messages, 60_000, 5000)?.id).toBe(1);
  });
});

// The command model is tested on the Namespaces view alone, so that registering a view elsewhere cannot change these cases.
const targets = commandTargets(VIEWS.filter((v) => v.id === 'namespaces'));

describe('parseCommand', () => {
  it('switches to a registered view by any of its names', () => {
    expect(parseCommand('ns', targets, undefined)).toEqual({ type: 'view', view: 'namespaces' });
    expect(parseCommand('  namespaces ', targets, undefined)).toEqual({ type: 'view', view: 'namespaces' });
  });

  it('scopes to a known namespace, or clears the scope with all', () => {
    expect(parseCommand('ns shop', targets, ['shop'])).toEqual({
      type: 'view',
      view: 'namespaces',
      scope: { namespace: 'shop' },
    });
    expect(parseCommand('ns all', targets, ['shop'])).toEqual({
      type: 'view',
      view: 'namespaces',
      scope: { namespace: undefined },
    });
    expect(parseCommand('ns nope', targets, ['shop'])).toEqual({ type: 'error', message: 'namespace "nope" not found' });
  });

  it('rejects views that do not exist and extra arguments', () => {
    expect(parseCommand('nodes', targets, undefined)).toMatchObject({ type: 'error', message: expect.stringContaining(':nodes') });
    expect(parseCommand('q now', targets, undefined)).toMatchObject({ type: 'error' });
  });

  it('knows quit and help, and ignores an empty line', () => {
    expect(parseCommand('q', targets, undefined)).toEqual({ type: 'quit' });
    expect(parseCommand('help', targets, undefined)).toEqual({ type: 'help' });
    expect(parseCommand('   ', targets, undefined)).toEqual({ type: 'none' });
  });
});

describe('completeCommand', () => {
  it('completes a unique command name with a trailing space', () => {
    expect(completeCommand('he', targets, [])).toEqual({ line: 'help ', candidates: [] });
    expect(completeCommand('namespaces', targets, [])).toEqual({ line: 'namespaces ', candidates: [] });
  });

  it('completes to the common prefix and lists the candidates when ambiguous', () => {
    expect(completeCommand('n', targets, [])).toEqual({ line: 'n', candidates: ['namespace', 'namespaces', 'ns'] });
    expect(completeCommand('name', targets, [])).toEqual({ line: 'namespace', candidates: ['namespace', 'namespaces'] });
  });

  it('completes a namespace argument, offering all', () => {
    expect(completeCommand('ns kube-s', targets, ['kube-system', 'kube-public', 'shop'])).toEqual({
      line: 'ns kube-system ',
      candidates: [],
    });
    expect(completeCommand('ns ', targets, ['shop'])).toEqual({ line: 'ns ', candidates: ['all', 'shop'] });
  });

  const services: ApiResource = {
    group: '',
    version: 'v1',
    resource: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    verbs: ['list', 'watch'],
    categories: ['all'],
  };

  it('leaves a line it cannot complete as it is', () => {
    expect(completeCommand('zz', targets, [], [services])).toEqual({ line: 'zz', candidates: [] });
    expect(completeCommand('q x', targets, [])).toEqual({ line: 'q x', candidates: [] });
  });

  it('completes resource names once discovery has answered, and says they are loading before', () => {
    expect(completeCommand('sv', targets, [], [])).toEqual({ line: 'sv', candidates: [], note: RESOURCES_LOADING });
    expect(completeCommand('sv', targets, [], [services])).toEqual({ line: 'svc ', candidates: [] });
    // A view name completes without discovery.
    expect(completeCommand('he', targets, [], [])).toEqual({ line: 'help ', candidates: [] });
  });
});
