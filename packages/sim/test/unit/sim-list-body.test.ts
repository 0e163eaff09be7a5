import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { writeListBody } from '../../src/api/list.js';
import type { KubeObject } from '../../src/types.js';

/** A response whose buffer is "full" after every write until `drain` is emitted. */
class SlowSink extends EventEmitter {
  chunks: string[] = [];
  destroyed = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return false;
  }
}

const pods = (n: number): KubeObject[] =>
  Array.from({ length: n }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default' } }));

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('writeListBody', () => {
  it('writes the next chunk only after the previous one drained, and the whole list as JSON', async () => {
    const sink = new SlowSink();
    const items = pods(2500);
    const done = writeListBody(sink, 'PodList', 'v1', { resourceVersion: '7' }, items, (o) => JSON.stringify(o));
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    await tick();
    expect(sink.chunks).toHaveLength(1); // the head, waiting for drain
    // Three chunks of items (1000, 1000, 500), then the closing `]}`.
    for (let expected = 2; expected <= 5; expected++) {
      expect(finished).toBe(false);
      sink.emit('drain');
      await tick();
      expect(sink.chunks).toHaveLength(expected);
    }
    expect(sink.chunks[4]).toBe(']}');
    expect(finished).toBe(true);
    const body = JSON.parse(sink.chunks.join(''));
    expect(body).toMatchObject({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' } });
    expect(body.items.map((p: KubeObject) => p.metadata.name)).toEqual(items.map((p) => p.metadata.name));
    expect(sink.listenerCount('drain') + sink.listenerCount('close')).toBe(0);
  });

  it('stops writing when the connection closes', async () => {
    const sink = new SlowSink();
    const done = writeListBody(sink, 'PodList', 'v1', { resourceVersion: '7' }, pods(5000), (o) => JSON.stringify(o));
    await tick();
    sink.destroyed = true;
    sink.emit('close');
    await done;
    expect(sink.chunks).toHaveLength(1);
  });
});
