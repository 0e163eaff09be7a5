/** The one-line description of what is compared, for the Drift view's header and the table report. */
import { formatAge } from '../format.js';

/** The source as the drift store holds it. */
export interface SourceLine {
  readonly description: string;
  readonly commit?: { readonly shortHash: string; readonly subject: string; readonly time: number };
  readonly dirty: boolean;
  readonly ref?: string;
}

/** `./deploy @ 1a2b3c4 "Bump web to 1.26" (3h ago), uncommitted changes` */
export function describeSource(source: SourceLine, now: number = Date.now()): string {
  const parts = [source.description];
  if (source.commit) {
    const ref = source.ref && !source.commit.shortHash.startsWith(source.ref) ? ` (${source.ref})` : '';
    parts.push(`@ ${source.commit.shortHash}${ref} "${source.commit.subject}" (${formatAge(new Date(source.commit.time), now)} ago)`);
  } else {
    parts.push('(not a Git repository)');
  }
  let line = parts.join(' ');
  if (source.dirty) line += ', uncommitted changes';
  return line;
}
