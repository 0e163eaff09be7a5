import type { Pod } from '@daytwo/k8s/wire-types.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  hasPreviousInstance,
  LOG_RATE_ANNOTATION,
  logsUnavailableReason,
  previousNotFoundMessage,
  rfc3339Nano,
  SyntheticLogs,
} from '../../src/logs.js';
import type { KubeObject, LogOptions } from '../../src/types.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');

function runningPod(opts: { startedSecondsAgo?: number; restartCount?: number; annotations?: Record<string, string>; name?: string; image?: string } = {}): Pod {
  const started = new Date(NOW - (opts.startedSecondsAgo ?? 600) * 1000).toISOString();
  // A Pod as far as the log reads go: its container status leaves out image, imageID and ready.
  return {
    metadata: { name: opts.name ?? 'web-1', namespace: 'shop', annotations: opts.annotations },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: opts.image ?? 'example/app:1.0' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          restartCount: opts.restartCount ?? 0,
          state: { running: { startedAt: started } },
          ...(opts.restartCount
            ? {
                lastState: {
                  terminated: {
                    exitCode: 1,
                    reason: 'Error',
                    containerID: 'containerd://0123abcd',
                    startedAt: new Date(NOW - 3600_000).toISOString(),
                    finishedAt: new Date(NOW - 3000_000).toISOString(),
                  },
                },
              }
            : {}),
        },
      ],
    },
  } as Pod;
}

function collect(logs: SyntheticLogs, pod: KubeObject, opts: LogOptions) {
  const lines: string[] = [];
  let ended = false;
  const stop = logs.stream(pod, opts, { write: (l) => lines.push(l), end: () => (ended = true) });
  return { lines, stop, ended: () => ended };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SyntheticLogs history', () => {
  it('has about one line per second since the container started', () => {
    const logs = new SyntheticLogs();
    const lines = logs.history(runningPod({ startedSecondsAgo: 600 }), { container: 'app' });
    expect(lines.length).toBeGreaterThanOrEqual(599);
    expect(lines.length).toBeLessThanOrEqual(601);
    expect(lines[0].time).toBeGreaterThanOrEqual(NOW - 600_000);
    expect(lines.at(-1)!.time).toBeLessThanOrEqual(NOW);
    for (let i = 1; i < lines.length; i++) expect(lines[i].time).toBeGreaterThan(lines[i - 1].time);
  });

  it('scales the rate with speed and the per-pod annotation', () => {
    const fast = new SyntheticLogs({ speed: 2 }).history(runningPod({ startedSecondsAgo: 100 }), { container: 'app' });
    expect(fast.length).toBeGreaterThanOrEqual(199);
    expect(fast.length).toBeLessThanOrEqual(201);
    const annotated = new SyntheticLogs().history(runningPod({ startedSecondsAgo: 100, annotations: { [LOG_RATE_ANNOTATION]: '0.1' } }), {
      container: 'app',
    });
    expect(annotated.length).toBeGreaterThanOrEqual(9);
    expect(annotated.length).toBeLessThanOrEqual(11);
    const silent = new SyntheticLogs().history(runningPod({ annotations: { [LOG_RATE_ANNOTATION]: '0' } }), { container: 'app' });
    expect(silent).toEqual([]);
  });

  it('serves the same line for the same moment on every read', () => {
    const logs = new SyntheticLogs();
    const pod = runningPod();
    const first = logs.history(pod, { container: 'app' });
    vi.setSystemTime(NOW + 30_000);
    const later = logs.history(pod, { container: 'app', sinceTime: new Date(NOW - 120_000).toISOString() });
    const byTime = new Map(first.map((l) => [l.time, l.text]));
    const overlap = later.filter((l) => byTime.has(l.time));
    expect(overlap.length).toBeGreaterThan(100);
    for (const l of overlap) expect(l.text).toBe(byTime.get(l.time));
    // A different pod gets different content.
    const other = logs.history(runningPod({ name: 'web-2' }), { container: 'app' });
    expect(other.slice(-20).map((l) => l.text)).not.toEqual(first.slice(-20).map((l) => l.text));
  });

  it('applies sinceSeconds and then tailLines', () => {
    const logs = new SyntheticLogs();
    const pod = runningPod();
    const since = logs.history(pod, { container: 'app', sinceSeconds: 60 });
    expect(since.every((l) => l.time >= NOW - 60_000)).toBe(true);
    expect(since.length).toBeGreaterThanOrEqual(59);
    const tail = logs.history(pod, { container: 'app', sinceSeconds: 60, tailLines: 5 });
    expect(tail).toEqual(since.slice(-5));
    expect(logs.history(pod, { container: 'app', tailLines: 0 })).toEqual([]);
  });

  it('picks a style from the image: access logs for nginx, JSON for APIs', () => {
    const logs = new SyntheticLogs();
    const nginx = logs.history(runningPod({ image: 'nginx:1.27' }), { container: 'app', tailLines: 3 });
    for (const l of nginx) expect(l.text).toMatch(/^\d+\.\d+\.\d+\.\d+ - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "[A-Z]+ \S+ HTTP\/1\.1" \d{3} \d+/);
    const api = logs.history(runningPod({ image: 'example/payments-api:2' }), { container: 'app', tailLines: 3 });
    for (const l of api) expect(JSON.parse(l.text)).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
  });
});

describe('SyntheticLogs stream', () => {
  it('writes the tail and ends when not following', () => {
    const logs = new SyntheticLogs();
    const pod = runningPod();
    const s = collect(logs, pod, { container: 'app', tailLines: 3 });
    expect(s.lines).toEqual(logs.history(pod, { container: 'app', tailLines: 3 }).map((l) => l.text));
    expect(s.ended()).toBe(true);
  });

  it('prefixes RFC3339Nano timestamps like the kubelet', () => {
    const logs = new SyntheticLogs();
    const s = collect(logs, runningPod(), { container: 'app', tailLines: 2, timestamps: true });
    for (const line of s.lines) expect(line).toMatch(/^2026-11-21T11:59:5\d(\.\d{1,9})?Z \S/);
    expect(rfc3339Nano(Date.parse('2026-11-21T12:00:00.120Z'), 0)).toBe('2026-11-21T12:00:00.12Z');
    expect(rfc3339Nano(Date.parse('2026-11-21T12:00:00Z'), 0)).toBe('2026-11-21T12:00:00Z');
    expect(rfc3339Nano(Date.parse('2026-11-21T12:00:00.001Z'), 500)).toBe('2026-11-21T12:00:00.0010005Z');
  });

  it('keeps emitting new lines at the rate while following, until stopped', () => {
    const logs = new SyntheticLogs();
    const pod = runningPod();
    const s = collect(logs, pod, { container: 'app', tailLines: 1, follow: true });
    expect(s.lines).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(s.lines.length).toBeGreaterThanOrEqual(10);
    expect(s.lines.length).toBeLessThanOrEqual(12);
    expect(s.ended()).toBe(false);
    // What was followed is what a later read of the same span returns.
    const replay = logs.history(pod, { container: 'app', tailLines: s.lines.length }).map((l) => l.text);
    expect(s.lines).toEqual(replay);
    s.stop();
    const count = s.lines.length;
    vi.advanceTimersByTime(10_000);
    expect(s.lines).toHaveLength(count);
  });

  it('delays every line by the slow-logs knob', () => {
    const logs = new SyntheticLogs({ slowLineDelayMs: 500 });
    const s = collect(logs, runningPod(), { container: 'app', tailLines: 4 });
    expect(s.lines).toHaveLength(0);
    vi.advanceTimersByTime(1_000);
    expect(s.lines).toHaveLength(2);
    vi.advanceTimersByTime(1_000);
    expect(s.lines).toHaveLength(4);
    expect(s.ended()).toBe(true);
  });

  it('stops at limitBytes', () => {
    const logs = new SyntheticLogs();
    const s = collect(logs, runningPod(), { container: 'app', limitBytes: 100 });
    expect(s.lines.join('\n').length).toBeLessThanOrEqual(100);
    expect(s.ended()).toBe(true);
  });
});

describe('previous instance', () => {
  it('serves the last terminated instance when the container restarted', () => {
    const logs = new SyntheticLogs();
    const pod = runningPod({ restartCount: 2 });
    expect(hasPreviousInstance(pod, 'app')).toBe(true);
    expect(logsUnavailableReason(pod, { container: 'app', previous: true })).toBeUndefined();
    const lines = logs.history(pod, { container: 'app', previous: true });
    expect(lines[0].time).toBeGreaterThanOrEqual(NOW - 3600_000);
    expect(lines.at(-1)!.time).toBeLessThanOrEqual(NOW - 3000_000);
    const s = collect(logs, pod, { container: 'app', previous: true, follow: true, tailLines: 1 });
    expect(s.ended()).toBe(true);
  });

  it("serves lastState.terminated as the kubelet does: whatever the restart count, and while crash-looping it is the current logs' instance too", () => {
    const logs = new SyntheticLogs();
    // restartCount is not what the kubelet looks at (validateContainerLogStatus reads lastState.terminated).
    const reset = runningPod({ restartCount: 1 });
    reset.status!.containerStatuses![0].restartCount = 0;
    expect(hasPreviousInstance(reset, 'app')).toBe(true);
    expect(logs.history(reset, { container: 'app', previous: true }).length).toBeGreaterThan(500);

    // CrashLoopBackOff: waiting, with the run that just ended in lastState. Both reads serve that run.
    const crashing = runningPod({ restartCount: 3 });
    crashing.status!.containerStatuses![0].state = { waiting: { reason: 'CrashLoopBackOff' } };
    const previous = logs.history(crashing, { container: 'app', previous: true });
    expect(previous.length).toBeGreaterThan(500);
    expect(logs.history(crashing, { container: 'app' })).toEqual(previous);

    // A lastState without a container ID names no instance whose logs could be read.
    const unnamed = runningPod({ restartCount: 1 });
    delete unnamed.status!.containerStatuses![0].lastState!.terminated!.containerID;
    expect(logsUnavailableReason(unnamed, { container: 'app', previous: true })).toBe(previousNotFoundMessage('app', 'web-1'));
  });

  it('reports the API server message when there is none', () => {
    const pod = runningPod();
    expect(hasPreviousInstance(pod, 'app')).toBe(false);
    expect(logsUnavailableReason(pod, { container: 'app', previous: true })).toBe(previousNotFoundMessage('app', 'web-1'));
    expect(previousNotFoundMessage('app', 'web-1')).toBe('previous terminated container "app" in pod "web-1" not found');
  });

  it('reports containers that are unknown or not started', () => {
    const pod = runningPod();
    expect(logsUnavailableReason(pod, { container: 'nope' })).toBe('container nope is not valid for pod web-1');
    const waiting = structuredClone(pod);
    waiting.status!.containerStatuses![0].state = { waiting: { reason: 'ContainerCreating' } };
    expect(logsUnavailableReason(waiting, { container: 'app' })).toBe(
      'container "app" in pod "web-1" is waiting to start: ContainerCreating',
    );
  });
});
