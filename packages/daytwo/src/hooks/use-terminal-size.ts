import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Terminal size in character cells. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** Used when the output is not a terminal (pipes, CI): the classic VT100 size. */
const FALLBACK: TerminalSize = { columns: 80, rows: 24 };

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || FALLBACK.columns, rows: stdout.rows || FALLBACK.rows };
}

/** The terminal's size, updated on every `resize` of stdout. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () =>
      setSize((prev) => {
        const next = sizeOf(stdout);
        return next.columns === prev.columns && next.rows === prev.rows ? prev : next;
      });
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
