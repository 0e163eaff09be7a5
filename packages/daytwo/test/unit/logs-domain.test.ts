import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import {
  entryPrefix,
  formatEntry,
  formatSince,
  type LogEntry,
  PREFIX_COLOURS,
  prefixColour,
  ResumePoint,
  splitTimestamp,
  startingPoint,
  timestampNanos,
} from '../../src/domain/log-entry.js';
import { compileLogFilter } from '../../src/domain/log-filter.js';
import {
  describeTarget,
  invalidContainer,
  LogTargetError,
  parseLogsCommand,
  parseLogTarget,
  parseSince,
  parseTargetArgs,
  podsOfTarget,
  targetMissing,
} from '../../src/domain/log-target.js';
import { displayLine, firstMatchingSeq, logWindow, pausedFrame, pinnedBeforeRing, stepSeq } from '../../src/domain/log-view.js';
import { RingBuffer } from '../../src/domain/ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, addressed by sequence numbers', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.size).toBe(0);
    expect(ring.lastSeq).toBe(-1);
    ring.pushAll([0, 1, 2, 3, 4]);
    expect(ring.size).toBe(3);
    expect(ring.total).toBe(5);
    expect(ring.firstSeq).toBe(2);
    expect(ring.lastSeq).toBe(4);
    expect(ring.toArray()).toEqual([2, 3, 4]);
    expect(ring.at(1)).toBeUndefined();
    expect(ring.at(2)).toBe(2);
    expect(ring.at(4)).toBe(4);
    expect(ring.at(5)).toBeUndefined();
  });

  it('stays at its bound after many laps', () => {
    const ring = new RingBuffer<number>(1000);
    for (let i = 0; i < 123_456; i++) ring.push(i);
    expect(ring.size).toBe(1000);
    expect(ring.toArray()[0]).toBe(122_456);
    expect(ring.at(ring.lastSeq)).toBe(123_455);
  });

  it('clears but keeps counting', () => {
    const ring = new RingBuffer<string>(2);
    ring.pushAll(['a', 'b', 'c']);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.firstSeq).toBe(3);
    ring.push('d');
    expect(ring.at(3)).toBe('d');
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});

describe('log entries', () => {
  it('splits the RFC3339Nano prefix of timestamps=true lines', () => {
    expect(splitTimestamp('2026-11-21T12:00:00.123456789Z hello world')).toEqual({ time: '2026-11-21T12:00:00.123456789Z', text: 'hello world' });
    expect(splitTimestamp('2026-11-21T12:00:00Z ')).toEqual({ time: '2026-11-21T12:00:00Z', text: '' });
    expect(splitTimestamp('no timestamp here')).toEqual({ text: 'no timestamp here' });
  });

  it('orders timestamps to the nanosecond, whatever their precision', () => {
    expect(timestampNanos('2026-11-21T12:00:00.5Z')).toBe(timestampNanos('2026-11-21T12:00:00.500000000Z'));
    expect((timestampNanos('2026-11-21T12:00:00.000000002Z') as bigint) - (timestampNanos('2026-11-21T12:00:00.000000001Z') as bigint)).toBe(1n);
    expect(timestampNanos('2026-11-21T13:00:00+01:00')).toBe(timestampNanos('2026-11-21T12:00:00Z'));
    expect(timestampNanos('yesterday')).toBeUndefined();
  });

  it('skips what a resumed stream repeats: older lines, and the same line at the last timestamp', () => {
    const resume = new ResumePoint();
    expect(resume.sinceTime).toBeUndefined();
    expect(resume.isRepeat('2026-11-21T12:00:00Z', 'a')).toBe(false);
    resume.record('2026-11-21T12:00:01.1Z', 'a');
    resume.record('2026-11-21T12:00:02.2Z', 'b');
    resume.record('2026-11-21T12:00:02.2Z', 'c');
    expect(resume.sinceTime).toBe('2026-11-21T12:00:02.2Z');
    resume.beginStream();
    expect(resume.isRepeat('2026-11-21T12:00:01.1Z', 'a')).toBe(true);
    expect(resume.isRepeat('2026-11-21T12:00:02.2Z', 'b')).toBe(true);
    expect(resume.isRepeat('2026-11-21T12:00:02.200000000Z', 'c')).toBe(true);
    // Another line with the same timestamp was not shown yet.
    expect(resume.isRepeat('2026-11-21T12:00:02.2Z', 'd')).toBe(false);
    expect(resume.isRepeat('2026-11-21T12:00:02.200000001Z', 'b')).toBe(false);
    // Past the last line shown, the resumed stream is new: a line out of order is kept.
    expect(resume.isRepeat('2026-11-21T12:00:01.1Z', 'a')).toBe(false);
  });

  it('drops nothing from a first stream whose stdout and stderr lines arrive slightly out of timestamp order', () => {
    const resume = new ResumePoint();
    resume.beginStream();
    const lines: [string, string][] = [
      ['2026-11-21T12:00:00.000200Z', 'out 1'],
      ['2026-11-21T12:00:00.000100Z', 'err 1'],
      ['2026-11-21T12:00:00.000300Z', 'out 2'],
    ];
    const shown = lines.filter(([time, text]) => {
      if (resume.isRepeat(time, text)) return false;
      resume.record(time, text);
      return true;
    });
    expect(shown).toEqual(lines);
  });

  it('gives each pod/container one colour, the same every time', () => {
    expect(prefixColour('web-1/app')).toBe(prefixColour('web-1/app'));
    const colours = new Set(Array.from({ length: 50 }, (_, i) => prefixColour(`web-${i}/app`)));
    expect(colours.size).toBeGreaterThan(6);
    for (const c of colours) expect(PREFIX_COLOURS).toContain(c);
  });

  it('formats lines and markers with the pod/container prefix', () => {
    const entry: LogEntry = { kind: 'line', namespace: 'shop', pod: 'web-1', container: 'app', time: '2026-11-21T12:00:00Z', text: 'hi' };
    expect(entryPrefix(entry)).toBe('web-1/app');
    expect(formatEntry(entry)).toBe('web-1/app hi');
    expect(formatEntry(entry, { timestamps: true })).toBe('2026-11-21T12:00:00Z web-1/app hi');
    expect(formatEntry({ ...entry, kind: 'marker', container: '', text: 'joined on node n1' })).toBe('web-1 ── joined on node n1');
  });
});

describe('log targets', () => {
  it('accepts the params other views pass to openView', () => {
    expect(parseLogTarget({ namespace: 'shop', name: 'web-1' })).toEqual({ type: 'pod', namespace: 'shop', name: 'web-1' });
    expect(parseLogTarget({ pod: { namespace: 'shop', name: 'web-1', container: 'app' } })).toEqual({ type: 'pod', namespace: 'shop', name: 'web-1', container: 'app' });
    expect(parseLogTarget({ kind: 'StatefulSet', namespace: 'monitoring', name: 'prometheus' })).toEqual({ type: 'workload', kind: 'StatefulSet', namespace: 'monitoring', name: 'prometheus' });
    expect(parseLogTarget({ workload: { kind: 'Job', namespace: 'batch', name: 'x' } })).toMatchObject({ type: 'workload', kind: 'Job' });
    expect(parseLogTarget({ selector: 'app=web' })).toEqual({ type: 'selector', selector: 'app=web' });
    expect(parseLogTarget({ namespace: 'shop', selector: 'app in (web,api)' })).toEqual({ type: 'selector', namespace: 'shop', selector: 'app in (web,api)' });
    expect(() => parseLogTarget(undefined)).toThrow(LogTargetError);
    expect(() => parseLogTarget({ kind: 'CronJob', namespace: 'batch', name: 'x' })).toThrow(/cannot show logs of a CronJob/);
    expect(() => parseLogTarget({ namespace: 'shop' })).toThrow(/needs a namespace and a name/);
    expect(() => parseLogTarget({ selector: 'app in (' })).toThrow(/bad selector/);
  });

  it('parses daytwo logs TARGET with kubectl names, or -l', () => {
    expect(parseTargetArgs({ target: 'web-1' })).toEqual({ type: 'pod', namespace: 'default', name: 'web-1' });
    expect(parseTargetArgs({ target: 'pod/web-1', container: 'app', namespace: 'shop' })).toEqual({ type: 'pod', namespace: 'shop', name: 'web-1', container: 'app' });
    expect(parseTargetArgs({ target: 'deploy/web', namespace: 'shop' })).toEqual({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(parseTargetArgs({ target: 'sts/db' })).toMatchObject({ kind: 'StatefulSet' });
    expect(parseTargetArgs({ target: 'daemonset.apps/agent' })).toMatchObject({ kind: 'DaemonSet' });
    expect(parseTargetArgs({ target: 'job/migrate' })).toMatchObject({ kind: 'Job' });
    // Without -n: the context's namespace (the caller passes it), else default, as kubectl does; -A: all.
    expect(parseTargetArgs({ selector: 'app=web' })).toEqual({ type: 'selector', selector: 'app=web', namespace: 'default' });
    expect(parseTargetArgs({ selector: 'app=web', namespace: 'shop' })).toEqual({ type: 'selector', selector: 'app=web', namespace: 'shop' });
    expect(parseTargetArgs({ selector: 'app=web', allNamespaces: true })).toEqual({ type: 'selector', selector: 'app=web' });
    expect(() => parseTargetArgs({ target: 'web', allNamespaces: true })).toThrow(/-A .* applies to -l SELECTOR/);
    // -c narrows any target to one container, as `kubectl logs deploy/web -c app` and `-l app=web -c app` do.
    expect(parseTargetArgs({ selector: 'app=web', container: 'app' })).toMatchObject({ type: 'selector', container: 'app' });
    expect(parseTargetArgs({ target: 'deploy/web', container: 'app', namespace: 'shop' })).toEqual({
      type: 'workload',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      container: 'app',
    });
    expect(() => parseTargetArgs({ target: 'web', selector: 'app=web' })).toThrow(/not both/);
    expect(() => parseTargetArgs({})).toThrow(/TARGET/);
    expect(() => parseTargetArgs({ target: 'service/web' })).toThrow(/cannot show logs of "service"/);
    expect(() => parseTargetArgs({ target: 'deployment/' })).toThrow(/bad TARGET/);
  });

  it('parses :logs arguments: a selector, in the scope or -n NS or -A', () => {
    expect(parseLogsCommand('app=web', 'shop')).toEqual({ type: 'selector', namespace: 'shop', selector: 'app=web' });
    expect(parseLogsCommand('-n payments app=api', 'shop')).toEqual({ type: 'selector', namespace: 'payments', selector: 'app=api' });
    expect(parseLogsCommand('-A tier in (web, api)', 'shop')).toEqual({ type: 'selector', selector: 'tier in (web, api)' });
    expect(() => parseLogsCommand('app==', undefined)).not.toThrow();
    expect(() => parseLogsCommand('app in (', undefined)).toThrow(LogTargetError);
    // Options go anywhere; a prefixed label key is still a selector.
    expect(parseLogsCommand('tier in (web, api) -n payments -c app', 'shop')).toEqual({ type: 'selector', namespace: 'payments', selector: 'tier in (web, api)', container: 'app' });
    expect(parseLogsCommand('app.kubernetes.io/name=web', 'shop')).toEqual({ type: 'selector', namespace: 'shop', selector: 'app.kubernetes.io/name=web' });
  });

  it('parses :logs TYPE/NAME as daytwo logs does, in the scope or -n NS', () => {
    expect(parseLogsCommand('job/db-migrate -n batch', undefined)).toEqual({ type: 'workload', kind: 'Job', namespace: 'batch', name: 'db-migrate' });
    expect(parseLogsCommand('deploy/web', 'shop')).toEqual({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(parseLogsCommand('-c app pod/web-1', 'shop')).toEqual({ type: 'pod', namespace: 'shop', name: 'web-1', container: 'app' });
    expect(() => parseLogsCommand('job/db-migrate', undefined)).toThrow(/which namespace\? :logs job\/db-migrate -n NAMESPACE/);
    expect(() => parseLogsCommand('job/db-migrate -A', 'batch')).toThrow(/-A applies to a selector/);
    // A type daytwo cannot show is said, not read as a label key.
    expect(() => parseLogsCommand('cronjob/nightly-report -n batch', undefined)).toThrow('cannot show logs of "cronjob" (types: pod, deployment, statefulset, daemonset, job)');
    expect(() => parseLogsCommand('svc/frontend', 'shop')).toThrow(/cannot show logs of "svc"/);
  });

  it("refuses a container a pod does not have, in kubectl's words", () => {
    const web = {
      metadata: { namespace: 'shop', name: 'web-1' },
      spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'app' }, { name: 'proxy' }], ephemeralContainers: [{ name: 'debug' }] },
    } as KubeObject;
    const api = { metadata: { namespace: 'shop', name: 'api-1' }, spec: { containers: [{ name: 'api' }] } } as KubeObject;
    for (const name of ['app', 'proxy', 'setup', 'debug']) expect(invalidContainer([web], name)).toBeUndefined();
    expect(invalidContainer([web], 'nope')).toBe('container nope is not valid for pod web-1 out of: app, proxy, debug (ephem), setup (init)');
    expect(invalidContainer([web, api], 'app')).toBe('container app is not valid for pod api-1 out of: api');
    expect(invalidContainer([], 'app')).toBeUndefined();
  });

  it('starts from the last 100 lines, or with a since window from all of it unless a tail is set too', () => {
    expect(startingPoint({})).toEqual({ tailLines: 100 });
    expect(startingPoint({ tailLines: 5 })).toEqual({ tailLines: 5 });
    expect(startingPoint({ sinceSeconds: 300 })).toEqual({ tailLines: -1, sinceSeconds: 300 });
    expect(startingPoint({ sinceSeconds: 300, tailLines: 20 })).toEqual({ tailLines: 20, sinceSeconds: 300 });
    expect(startingPoint({ sinceSeconds: 0 })).toEqual({ tailLines: 100 });
    expect([30, 60, 90, 300, 900, 3600, 5400, 21_600, 86_400].map(formatSince)).toEqual(['30s', '1m', '1m30s', '5m', '15m', '1h', '1h30m', '6h', '24h']);
  });

  it('parses --since as a Go duration, rounded up to seconds as kubectl does', () => {
    expect(parseSince('30s')).toBe(30);
    expect(parseSince('5m')).toBe(300);
    expect(parseSince('1h30m')).toBe(5400);
    expect(parseSince('1.5h')).toBe(5400);
    expect(parseSince('1500ms')).toBe(2);
    expect(parseSince('0')).toBeUndefined();
    expect(() => parseSince('5')).toThrow(/invalid duration/);
    expect(() => parseSince('-5m')).toThrow(/invalid duration/);
    expect(() => parseSince('5 minutes')).toThrow(/invalid duration/);
  });

  const pod = (ns: string, name: string, labels: Record<string, string>, owner?: string): KubeObject => ({
    metadata: { namespace: ns, name, uid: `uid-${name}`, labels, ...(owner ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: owner, controller: true }] } : {}) },
  });
  const byKey = (objs: KubeObject[]) => new Map(objs.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  const pods = byKey([
    pod('shop', 'web-2', { app: 'web' }),
    pod('shop', 'web-1', { app: 'web' }),
    pod('shop', 'api-1', { app: 'api' }),
    pod('staging', 'web-1', { app: 'web' }),
    pod('batch', 'job-x', { 'job-name': 'j' }, 'job-uid'),
  ]);

  it('resolves a target to its pods, sorted', () => {
    const names = (t: Parameters<typeof podsOfTarget>[0], extra = {}) => podsOfTarget(t, { pods, ...extra }).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names({ type: 'pod', namespace: 'shop', name: 'api-1' })).toEqual(['shop/api-1']);
    expect(names({ type: 'selector', selector: 'app=web' })).toEqual(['shop/web-1', 'shop/web-2', 'staging/web-1']);
    expect(names({ type: 'selector', namespace: 'shop', selector: 'app!=web' })).toEqual(['shop/api-1']);
    const deployments = byKey([{ metadata: { namespace: 'shop', name: 'web', uid: 'd' }, spec: { selector: { matchLabels: { app: 'web' } } } }]);
    expect(names({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'web' }, { deployments })).toEqual(['shop/web-1', 'shop/web-2']);
    const jobs = byKey([{ metadata: { namespace: 'batch', name: 'j', uid: 'job-uid' }, spec: {} }]);
    expect(names({ type: 'workload', kind: 'Job', namespace: 'batch', name: 'j' }, { jobs })).toEqual(['batch/job-x']);
    expect(names({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'gone' }, { deployments })).toEqual([]);
    expect(targetMissing({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'gone' }, { pods, deployments })).toBe(true);
    expect(targetMissing({ type: 'selector', selector: 'app=none' }, { pods })).toBe(false);
  });

  it('describes a target in a few words', () => {
    expect(describeTarget({ type: 'pod', namespace: 'shop', name: 'web-1', container: 'app' })).toBe('pod/shop/web-1 -c app');
    expect(describeTarget({ type: 'workload', kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node' })).toBe('daemonset/kube-system/aws-node');
    expect(describeTarget({ type: 'selector', selector: 'app=web' })).toBe('selector app=web (all namespaces)');
    expect(describeTarget({ type: 'workload', kind: 'Job', namespace: 'batch', name: 'db-migrate', container: 'task' })).toBe('job/batch/db-migrate -c task');
  });
});

describe('log filter', () => {
  it('finds every match of a substring, ignoring case', () => {
    const f = compileLogFilter('err');
    if (!f.ok) throw new Error(f.error);
    expect(f.test('ERROR: upstream error')).toBe(true);
    expect(f.ranges('ERROR: upstream error')).toEqual([
      [0, 3],
      [16, 19],
    ]);
  });

  it('finds regex matches between slashes, and reports a bad expression', () => {
    const f = compileLogFilter('/\\d{3}/');
    if (!f.ok) throw new Error(f.error);
    expect(f.ranges('GET /cart 502 1234')).toEqual([
      [10, 13],
      [14, 17],
    ]);
    expect(f.ranges('GET /cart 502 1234')).toEqual(f.ranges('GET /cart 502 1234'));
    const empty = compileLogFilter('/x*/');
    if (!empty.ok) throw new Error(empty.error);
    expect(empty.ranges('abc')).toEqual([]);
    expect(compileLogFilter('/(/')).toMatchObject({ ok: false });
    expect(compileLogFilter('')).toMatchObject({ ok: true, active: false });
  });
});

describe('log window', () => {
  const entry = (n: number, text = `line ${n}`, pod = 'web-1'): LogEntry => ({ kind: 'line', namespace: 'shop', pod, container: 'app', text });
  const ring = (count: number, text?: (n: number) => string) => {
    const r = new RingBuffer<LogEntry>(100);
    for (let i = 0; i < count; i++) r.push(entry(i, text?.(i)));
    return r;
  };
  const none = compileLogFilter('');
  const texts = (w: ReturnType<typeof logWindow>) => w.rows.map((r) => r.segments.map((s) => s.text).join(''));

  it('shows the newest entries when following, and the ones up to the anchor when paused', () => {
    const r = ring(50);
    const settings = { filter: none, timestamps: false, wrap: false, width: 40, rows: 3 };
    expect(texts(logWindow(r, settings))).toEqual(['web-1/app line 47', 'web-1/app line 48', 'web-1/app line 49']);
    expect(logWindow(r, settings, 10)).toMatchObject({ topSeq: 8, bottomSeq: 10 });
    // Near the top, newer entries fill the screen.
    expect(texts(logWindow(r, settings, 0))).toEqual(['web-1/app line 0', 'web-1/app line 1', 'web-1/app line 2']);
  });

  it('cuts lines at the width, or wraps them over several rows', () => {
    const r = ring(2, (n) => (n === 1 ? 'x'.repeat(25) : 'short'));
    const cut = logWindow(r, { filter: none, timestamps: false, wrap: false, width: 20, rows: 5 });
    expect(texts(cut)).toEqual(['web-1/app short', 'web-1/app xxxxxxxxxx']);
    const wrapped = logWindow(r, { filter: none, timestamps: false, wrap: true, width: 20, rows: 5 });
    expect(texts(wrapped)).toEqual(['web-1/app short', 'web-1/app xxxxxxxxxx', 'x'.repeat(15)]);
    // A wrapped entry taller than the screen shows its last rows.
    expect(texts(logWindow(r, { filter: none, timestamps: false, wrap: true, width: 20, rows: 1 }))).toEqual(['x'.repeat(15)]);
  });

  it('skips entries the filter rejects and marks the matches, the timestamp and the prefix', () => {
    const r = new RingBuffer<LogEntry>(10);
    r.push({ ...entry(0, 'GET /cart 200'), time: '2026-11-21T12:00:00Z' });
    r.push({ ...entry(1, 'upstream timed out'), time: '2026-11-21T12:00:01Z' });
    const w = logWindow(r, { filter: compileLogFilter('cart'), timestamps: true, wrap: false, width: 80, rows: 5 });
    expect(w.rows).toHaveLength(1);
    expect(w.rows[0].segments).toEqual([
      { text: '2026-11-21T12:00:00Z ', style: 'time' },
      { text: 'web-1/app', style: 'prefix' },
      { text: ' GET /', style: 'text' },
      { text: 'cart', style: 'match' },
      { text: ' 200', style: 'text' },
    ]);
    expect(w.rows[0].colour).toBe(prefixColour('web-1/app'));
  });

  it('steps between matching entries and finds the oldest', () => {
    const r = ring(10, (n) => (n % 3 === 0 ? `match ${n}` : `other ${n}`));
    const f = compileLogFilter('match');
    expect(stepSeq(r, f, false, 9, -1)).toBe(6);
    expect(stepSeq(r, f, false, 9, -2)).toBe(3);
    expect(stepSeq(r, f, false, 3, -5)).toBe(0);
    expect(stepSeq(r, f, false, 0, 1)).toBe(3);
    expect(stepSeq(r, f, false, 9, 1)).toBe(9);
    expect(firstMatchingSeq(r, f, false)).toBe(0);
    expect(firstMatchingSeq(r, compileLogFilter('nothing'), false)).toBe(-1);
  });

  it('keeps a paused screen put when its lines leave the ring, and counts what was dropped', () => {
    const r = new RingBuffer<LogEntry>(10);
    for (let i = 0; i < 10; i++) r.push(entry(i));
    const settings = { filter: none, timestamps: false, wrap: false, width: 40, rows: 3 };
    const first = pausedFrame(r, settings, 5, undefined);
    expect(texts(first.window)).toEqual(['web-1/app line 3', 'web-1/app line 4', 'web-1/app line 5']);
    expect(first.dropped).toBe(0);
    // Lines 0-2 leave: the screen (3-5) is all still held, and the frame is the ring's.
    for (let i = 10; i < 13; i++) r.push(entry(i));
    const second = pausedFrame(r, settings, 5, first.pin);
    expect(texts(second.window)).toEqual(texts(first.window));
    expect(second.dropped).toBe(0);
    // Lines 3-5 leave too: the pinned lines stay on screen, and the count says how many left.
    for (let i = 13; i < 20; i++) r.push(entry(i));
    const third = pausedFrame(r, settings, 5, second.pin);
    expect(texts(third.window)).toEqual(texts(first.window));
    expect(third.dropped).toBe(7);
    const fourth = pausedFrame(r, settings, 5, third.pin);
    expect(texts(fourth.window)).toEqual(texts(first.window));
    // What `s` saves starts with the pinned lines the ring no longer holds.
    expect(pinnedBeforeRing(r, fourth.pin).map((e) => displayLine(e, false))).toEqual(texts(first.window));
    expect(pinnedBeforeRing(r, undefined)).toEqual([]);
    expect(pinnedBeforeRing(new RingBuffer<LogEntry>(10), fourth.pin)).toEqual([]);
    // Another anchor (a scroll), or another ring (a restarted stream), reads the ring again.
    expect(pausedFrame(r, settings, 12, third.pin).dropped).toBe(0);
    expect(texts(pausedFrame(r, settings, 12, third.pin).window)).toEqual(['web-1/app line 10', 'web-1/app line 11', 'web-1/app line 12']);
  });

  it('drops control characters and ANSI colours from what it shows', () => {
    expect(displayLine(entry(0, '\u001b[31mred\u001b[0m\tcol\rx'), false)).toBe('web-1/app red    colx');
  });
});
