import { useRef, useState } from 'react';

/** A setter taking the next value, or a function of the latest one. */
export type LiveSetter<T> = (next: T | ((latest: T) => T)) => void;

/**
 * `useState` for state that key bindings read: `get()` and functional updates see the value
 * the previous key set, even when React has not rendered it yet (keys typed in one read act
 * one after the other, without a render in between).
 */
export function useLiveState<T>(initial: T | (() => T)): [T, LiveSetter<T>, () => T] {
  const [value, setValue] = useState(initial);
  const latest = useRef(value);
  const set: LiveSetter<T> = (next) => {
    latest.current = typeof next === 'function' ? (next as (latest: T) => T)(latest.current) : next;
    setValue(latest.current);
  };
  return [value, set, () => latest.current];
}
