/**
 * `GET pods/{name}/log`: validation as pkg/registry/core/pod/strategy.go LogLocation does it,
 * then a text/plain chunked stream from the sim's LogSource. The `slow-logs` fault is
 * applied by the log source itself (SyntheticLogs' slowLineDelayMs).
 */

import type { ServerResponse } from 'node:http';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import { badRequest } from '../errors.js';
import { logsUnavailableReason } from '../logs.js';
import type { LogOptions, LogSink, LogSource, ObjectStore } from '../types.js';
import { intParam, isTrue } from './request.js';

function names(containers: { name: string }[] | undefined): string {
  return (containers ?? []).map((c) => c.name).join(' ');
}

/** The container the request reads, or a 400 with upstream's message. */
export function resolveContainer(pod: Pod, requested: string | null): string {
  const podName = pod.metadata.name ?? '';
  const containers = pod.spec?.containers ?? [];
  if (!requested) {
    if (containers.length === 1) return containers[0].name;
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
    let message = `a container name must be specified for pod ${podName}, choose one of: [${names(containers)}]`;
    const init = names(pod.spec?.initContainers);
    if (init) message += ` or one of the init containers: [${init}]`;
    throw badRequest(message);
  }
  const all = [...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  if (!all.some((c) => c.name === requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

/** Log options from the query (`tailLines`, `sinceSeconds`/`sinceTime`, `timestamps`, `previous`, `follow`). */
export function parseLogOptions(query: URLSearchParams, container: string): LogOptions & { limitBytes?: number } {
  const sinceTime = query.get('sinceTime');
  const sinceSeconds = intParam(query, 'sinceSeconds');
  if (sinceSeconds !== undefined && sinceSeconds < 1) throw badRequest('sinceSeconds: Invalid value: must be greater than 0');
  if (sinceTime) {
    if (sinceSeconds !== undefined) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
    if (Number.isNaN(Date.parse(sinceTime))) {
      throw badRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
    }
  }
  const tailLines = intParam(query, 'tailLines');
  if (tailLines !== undefined && tailLines < 0) throw badRequest('tailLines: Invalid value: must be greater than or equal to 0');
  const limitBytes = intParam(query, 'limitBytes');
  if (limitBytes !== undefined && limitBytes < 1) throw badRequest('limitBytes: Invalid value: must be greater than 0');
  return {
    container,
    follow: isTrue(query.get('follow')),
    tailLines,
    sinceSeconds,
    ...(sinceTime ? { sinceTime } : {}),
    timestamps: isTrue(query.get('timestamps')),
    previous: isTrue(query.get('previous')),
    limitBytes,
  };
}

/** The kubelet's refusals (a container not started, no previous instance) as a 400. */
export function checkContainerState(pod: Pod, opts: LogOptions): void {
  const reason = logsUnavailableReason(pod, opts);
  if (reason) throw badRequest(reason);
}

export interface LogStreamDeps {
  store: ObjectStore;
  logs: LogSource;
}

/**
 * Streams the logs to `res` until the source ends, `limitBytes` is reached, the pod is
 * deleted or the client goes away. Returns a function that ends the stream (server stop).
 */
export function streamPodLogs(
  deps: LogStreamDeps,
  pod: Pod,
  opts: LogOptions & { limitBytes?: number },
  res: ServerResponse,
): () => void {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let ended = false;
  let bytesLeft = opts.limitBytes ?? Number.POSITIVE_INFINITY;
  let stopSource: () => void = () => {};

  const finish = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    stopSource();
    if (!res.writableEnded) res.end();
  };

  const sink: LogSink = {
    write(line) {
      if (ended) return;
      const text = `${line}\n`;
      const bytes = Buffer.byteLength(text);
      if (bytes >= bytesLeft) {
        res.write(Buffer.from(text).subarray(0, bytesLeft));
        finish();
        return;
      }
      bytesLeft -= bytes;
      res.write(text);
    },
    end: finish,
  };

  const uid = pod.metadata.uid;
  const unsubscribe = deps.store.subscribe((ev) => {
    if (ev.gr === 'pods' && ev.type === 'DELETED' && ev.object.metadata.uid === uid) finish();
  });
  res.on('close', finish);
  stopSource = deps.logs.stream(pod, opts, sink);
  if (ended) stopSource();
  return finish;
}
