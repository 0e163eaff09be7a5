/** The per-request context handed to every resource handler. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../auth.js';
import type { Faults } from '../faults.js';
import type { GroupResource, KubeObject, LogSource, ObjectStore, ResourceType } from '../types.js';
import type { ResourcePath } from './paths.js';
import type { Verb } from './request.js';

/** What the server shares with its handlers. */
export interface ServerState {
  store: ObjectStore;
  faults: Faults;
  logs?: LogSource;
  serialize(obj: KubeObject): string;
  /** Registers a long-lived response (log stream) so stopping the server ends it. */
  track(stop: () => void): () => void;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  user: UserInfo;
  path: ResourcePath;
  type: ResourceType;
  gr: GroupResource;
  verb: Verb;
  dryRun: boolean;
  /** `fieldManager` query parameter, else the User-Agent's program name. */
  fieldManager: string;
  state: ServerState;
}
