import { useEffect, useRef, useState } from 'react';
import type { LogEntry, LogStreamOptions } from '../domain/log-entry.js';
import type { LogTarget } from '../domain/log-target.js';
import { RingBuffer } from '../domain/ring-buffer.js';
import type { ClusterActions } from '../store/actions.js';

/**
 * Shortest time between two renders caused by arriving lines (20 frames per second): lines
 * land in the ring buffer at once, the screen catches up at most this often. Keys re-render
 * immediately, so they answer at once however fast lines arrive.
 */
export const LOG_FRAME_MS = 50;

/** What {@link useLogStream} returns. */
export interface LogStreamState {
  /** The ring of entries; read it while rendering, never keep rows from it across renders. */
  readonly buffer: RingBuffer<LogEntry>;
  /** Changes whenever lines arrived since the last render. */
  readonly version: number;
}

/**
 * Streams a target's logs into a ring buffer of `capacity` entries through
 * `actions.streamLogs`, and re-renders the caller when lines arrive, coalesced to at most
 * one render per {@link LOG_FRAME_MS}. A new target or new options (`key` changes) start a
 * new stream into an empty buffer.
 */
export function useLogStream(
  actions: ClusterActions | undefined,
  target: LogTarget | undefined,
  options: LogStreamOptions,
  capacity: number,
): LogStreamState {
  const key = JSON.stringify([target, options, capacity]);
  const state = useRef<{ key: string; buffer: RingBuffer<LogEntry> } | null>(null);
  if (state.current?.key !== key) state.current = { key, buffer: new RingBuffer<LogEntry>(capacity) };
  const { buffer } = state.current;
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for target, options and capacity
  useEffect(() => {
    if (!actions || !target) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRender = 0;
    const render = () => {
      timer = undefined;
      lastRender = Date.now();
      setVersion((v) => v + 1);
    };
    const handle = actions.streamLogs(target, options, (entries) => {
      buffer.pushAll(entries);
      if (timer === undefined) timer = setTimeout(render, Math.max(0, lastRender + LOG_FRAME_MS - Date.now()));
    });
    return () => {
      handle.stop();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [actions, key]);

  return { buffer, version };
}
