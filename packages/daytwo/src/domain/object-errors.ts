import { type ObjectRef, refTitle } from './object-ref.js';

/** The object view's line when reading failed: `cannot read pod/web-1 in shop: pods "web-1" not found`. */
export function describeObjectError(ref: ObjectRef, error: string): string {
  return `cannot read ${refTitle(ref)}: ${error} (Esc goes back)`;
}
