import { Text } from 'ink';
import type { ReactElement } from 'react';
import type { LogRow } from '../domain/log-view.js';

/** One screen row: one `<Text>` with nested runs (one Text per row is the cheapest for Ink). */
export function LogLine({ row }: { readonly row: LogRow }): ReactElement {
  return (
    <Text wrap="truncate">
      {row.segments.map((s, i) => {
        const key = `${i}`;
        switch (s.style) {
          case 'time':
            return (
              <Text key={key} dimColor>
                {s.text}
              </Text>
            );
          case 'prefix':
            return (
              <Text key={key} color={row.colour}>
                {s.text}
              </Text>
            );
          case 'match':
            return (
              <Text key={key} inverse color="yellow">
                {s.text}
              </Text>
            );
          case 'marker':
            return (
              <Text key={key} dimColor italic>
                {s.text}
              </Text>
            );
          default:
            return s.text;
        }
      })}
    </Text>
  );
}
