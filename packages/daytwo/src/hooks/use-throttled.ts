import { useEffect, useRef, useState } from 'react';

/**
 * `value`, passed on at most once every `ms` (the latest one wins); `ms` <= 0 passes every
 * value at once. For derivations that cost more than a store flush interval.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (ms <= 0) return;
    const timer = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, last.current + ms - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [value, ms]);
  return ms <= 0 ? value : shown;
}
