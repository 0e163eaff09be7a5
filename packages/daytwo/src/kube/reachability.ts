import type { KindName } from '../domain/kinds.js';
import type { Outcome } from './watch-kind.js';

/**
 * Decides whether the API server is reachable from the last outcome of each watched kind:
 * unreachable once every kind's last request failed to reach the server, reachable again
 * as soon as one gets an answer (even a 403: the server answered).
 */
export class Reachability {
  private readonly last = new Map<KindName, Outcome>();
  private reachable: boolean | undefined;

  /** `onChange` is called with the new value whenever it flips (and on the first verdict). */
  constructor(private readonly onChange: (reachable: boolean) => void) {}

  report(kind: KindName, outcome: Outcome): void {
    if (outcome === 'network-error') {
      // An earlier API error (say a forbidden kind, idle until its next re-check) is no
      // evidence the server is still there once requests start failing to reach it.
      for (const [k, o] of this.last) if (o === 'api-error') this.last.delete(k);
    }
    this.last.set(kind, outcome);
    this.update();
  }

  private update(): void {
    let next = false;
    for (const outcome of this.last.values()) {
      if (outcome !== 'network-error') {
        next = true;
        break;
      }
    }
    if (next === this.reachable) return;
    this.reachable = next;
    this.onChange(next);
  }
}
