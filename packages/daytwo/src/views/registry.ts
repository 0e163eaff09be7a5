import type { ComponentType } from 'react';
import type { CommandTarget } from '../components/command-model.js';
import { DIALOG_KEYMAP } from '../components/Dialog.js';
import { HELP_KEYMAP } from '../components/Help.js';
import { PROMPT_KEYMAP } from '../components/Prompt.js';
import { contextCommandParams } from '../domain/contexts.js';
import { ACTIVE_SCOPES, type ScopeName } from '../hooks/key-router.js';
import type { KeyBinding, Keymap } from '../hooks/keymap.js';
import type { InputMode } from '../store/ui-store.js';
import { AUDIT_KEYMAP, AuditView } from './AuditView.js';
import { CONTEXTS_KEYMAP, ContextsView } from './ContextsView.js';
import { DRIFT_KEYMAP, DriftView } from './DriftView.js';
import { EVENTS_KEYMAP, EventsView } from './EventsView.js';
import { ALWAYS_KEYMAP, globalKeymap } from './global-keymap.js';
import { HEALTH_KEYMAP, HealthView } from './HealthView.js';
import { LOGS_KEYMAP, LogsView, logsCommandParams } from './LogsView.js';
import { NAMESPACES_KEYMAP, NamespacesView } from './NamespacesView.js';
import { NODE_POOLS_KEYMAP, NodePoolsView } from './NodePoolsView.js';
import { NODES_KEYMAP, NodesView } from './NodesView.js';
import { OBJECT_KEYMAP, ObjectView } from './ObjectView.js';
import { objectCommandParams } from './object-command.js';
import { PORT_FORWARDS_KEYMAP, PortForwardsView } from './PortForwardsView.js';
import { QOS_POD_KEYMAP, QosPodView, qosPodCommandParams } from './QosPodView.js';
import { QOS_KEYMAP, QosView } from './QosView.js';
import { RESOURCE_KEYMAP, ResourceView } from './ResourceView.js';
import { ROLLBACK_KEYMAP, RollbackView } from './RollbackView.js';
import { rollbackCommandParams } from './rollback-params.js';
import { UPGRADE_KEYMAP, UpgradeView } from './UpgradeView.js';
import { WORKLOADS_KEYMAP, WorkloadsView } from './WorkloadsView.js';

/** One screen of the console. A new view is one entry in {@link VIEWS}. */
export interface ViewSpec {
  readonly id: string;
  readonly title: string;
  /** Names accepted by the `:` command line; the first is the canonical one. */
  readonly commands: readonly string[];
  /** The number key that shows it; absent for views only opened from another (e.g. a revision history). */
  readonly hotkey?: string;
  /** Draws the view in `useShell().height` rows, its last line a `<ViewFooter>`, and binds its keymap in scope `view`. */
  readonly component: ComponentType;
  /** The view's own keys, for the help screen, the footer and conflict checks. */
  readonly keymap: Keymap<never>;
  /**
   * When present, `:command <args>` opens the view with the params this returns (see
   * `ShellApi.openView`) instead of taking a namespace; `namespace` is the current scope.
   */
  readonly commandParams?: (args: string, namespace: string | undefined) => { readonly params: unknown } | { readonly error: string };
}

/** The views of the console, in hotkey order. */
export const VIEWS: readonly ViewSpec[] = [
  {
    id: 'namespaces',
    title: 'Namespaces',
    commands: ['namespaces', 'namespace', 'ns'],
    hotkey: '1',
    component: NamespacesView,
    keymap: NAMESPACES_KEYMAP,
  },
  {
    id: 'workloads',
    title: 'Workloads',
    commands: ['workloads', 'deploy', 'wl', 'deployments', 'sts', 'ds'],
    hotkey: '2',
    component: WorkloadsView,
    keymap: WORKLOADS_KEYMAP,
  },
  {
    id: 'nodepools',
    title: 'Node pools',
    commands: ['nodepools', 'pools', 'np'],
    hotkey: '3',
    component: NodePoolsView,
    keymap: NODE_POOLS_KEYMAP,
  },
  {
    id: 'qos',
    title: 'QoS',
    commands: ['qos'],
    hotkey: '4',
    component: QosView,
    keymap: QOS_KEYMAP,
  },
  {
    id: 'qos-pod',
    title: 'QoS of a pod',
    commands: ['qos-pod'],
    component: QosPodView,
    keymap: QOS_POD_KEYMAP,
    commandParams: qosPodCommandParams,
  },
  {
    id: 'logs',
    title: 'Logs',
    commands: ['logs', 'log'],
    hotkey: '5',
    component: LogsView,
    keymap: LOGS_KEYMAP,
    commandParams: logsCommandParams,
  },
  {
    id: 'drift',
    title: 'Drift',
    commands: ['drift', 'git'],
    hotkey: '6',
    component: DriftView,
    keymap: DRIFT_KEYMAP,
  },
  {
    id: 'rollback',
    title: 'Revision history',
    commands: ['history', 'rollout', 'rollback'],
    component: RollbackView,
    keymap: ROLLBACK_KEYMAP,
    commandParams: rollbackCommandParams,
  },
  {
    id: 'nodes',
    title: 'Nodes',
    commands: ['nodes', 'node', 'no'],
    component: NodesView,
    keymap: NODES_KEYMAP,
  },
  {
    // The number key is assigned when the views are merged.
    id: 'upgrade',
    title: 'Upgrade',
    commands: ['upgrade'],
    hotkey: '7',
    component: UpgradeView,
    keymap: UPGRADE_KEYMAP,
  },
  {
    id: 'health',
    title: 'Health',
    commands: ['health', 'alerts'],
    hotkey: '8',
    component: HealthView,
    keymap: HEALTH_KEYMAP,
  },
  {
    id: 'events',
    title: 'Events',
    commands: ['events', 'event', 'ev'],
    hotkey: '9',
    component: EventsView,
    keymap: EVENTS_KEYMAP,
  },
  {
    id: 'object',
    title: 'Object',
    commands: ['describe', 'object'],
    component: ObjectView,
    keymap: OBJECT_KEYMAP,
    commandParams: objectCommandParams,
  },
  {
    id: 'audit',
    title: 'Audit log',
    commands: ['audit'],
    component: AuditView,
    keymap: AUDIT_KEYMAP,
  },
  {
    id: 'contexts',
    title: 'Contexts',
    commands: ['contexts', 'context', 'ctx'],
    component: ContextsView,
    keymap: CONTEXTS_KEYMAP,
    commandParams: contextCommandParams,
  },
  {
    id: 'portforwards',
    title: 'Port-forwards',
    commands: ['portforwards', 'portforward', 'pf'],
    component: PortForwardsView,
    keymap: PORT_FORWARDS_KEYMAP,
  },
  {
    // Opened by a resource's name on the `:` line (`:svc`, `:crd`), with `ResourceViewParams`.
    id: 'resource',
    title: 'Any resource',
    commands: [],
    component: ResourceView,
    keymap: RESOURCE_KEYMAP,
  },
];

/** What the `:` command line accepts: every view (with an optional namespace), quit and help. */
export function commandTargets(views: readonly ViewSpec[]): CommandTarget[] {
  return [
    ...views.map((v) => ({
      id: v.id,
      kind: 'view' as const,
      names: v.commands,
      takesNamespace: v.commandParams === undefined,
      takesArgs: v.commandParams !== undefined,
    })),
    { id: 'quit', kind: 'quit', names: ['q', 'quit'] },
    { id: 'help', kind: 'help', names: ['help'] },
  ];
}

/** A set of bindings active at the same time: no key may appear twice in one. */
export interface KeymapScope {
  readonly name: string;
  readonly bindings: readonly KeyBinding<never>[];
}


/**
 * Every set of bindings active at once, from {@link ACTIVE_SCOPES}: each view in the normal
 * mode, and each modal mode.
 */
export function keymapScopes(views: readonly ViewSpec[]): KeymapScope[] {
  const keymaps = (view: ViewSpec | undefined): Record<ScopeName, readonly KeyBinding<never>[]> => ({
    always: ALWAYS_KEYMAP,
    global: globalKeymap(views),
    view: view?.keymap ?? [],
    help: HELP_KEYMAP,
    dialog: DIALOG_KEYMAP,
    prompt: PROMPT_KEYMAP,
  });
  const modes: InputMode[] = ['help', 'dialog', 'command', 'filter'];
  return [
    ...views.map((v) => ({ name: `view ${v.id}`, bindings: ACTIVE_SCOPES.none.flatMap((s) => keymaps(v)[s]) })),
    ...modes.map((m) => ({ name: m, bindings: ACTIVE_SCOPES[m].flatMap((s) => keymaps(undefined)[s]) })),
  ];
}
