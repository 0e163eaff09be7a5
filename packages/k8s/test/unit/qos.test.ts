import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  type ContainerLike,
  computeQosClass,
  defaultContainerRequests,
  defaultPodLevelResources,
  evictionRank,
  explainQos,
  getPodQosClass,
  type PodLike,
  type QosClass,
  type QosResources,
} from '../../src/qos.js';
import type { KubeObject } from '../../src/kube-object.js';
import { formatQuantity, parseQuantity } from '../../src/quantity.js';

// Builders mirroring upstream qos_test.go (getResourceList, newContainer, newPod...).
function resourceList(cpu: string, memory: string): Record<string, string> {
  const list: Record<string, string> = {};
  if (cpu) list.cpu = cpu;
  if (memory) list.memory = memory;
  return list;
}

function container(name: string, requests: Record<string, string>, limits: Record<string, string>): ContainerLike {
  return { name, resources: { requests, limits } };
}

function pod(name: string, containers: ContainerLike[], extra: Partial<NonNullable<PodLike['spec']>> = {}): PodLike {
  return { metadata: { name, namespace: 'default' }, spec: { containers, ...extra } };
}

function podWithResources(name: string, containers: ContainerLike[], requests: Record<string, string>, limits: Record<string, string>): PodLike {
  return pod(name, containers, { resources: { requests, limits } });
}

function shown(list: QosResources): Record<string, string> {
  return Object.fromEntries(Object.entries(list).map(([k, q]) => [k, formatQuantity(q)]));
}

// pkg/apis/core/v1/helper/qos/qos_test.go, TestComputePodQOS (pod-level cases with the gate on).
const UPSTREAM_CASES: ReadonlyArray<readonly [PodLike, QosClass]> = [
  [pod('guaranteed', [container('guaranteed', resourceList('100m', '100Mi'), resourceList('100m', '100Mi'))]), 'Guaranteed'],
  [
    pod('guaranteed-guaranteed', [
      container('guaranteed', resourceList('100m', '100Mi'), resourceList('100m', '100Mi')),
      container('guaranteed', resourceList('100m', '100Mi'), resourceList('100m', '100Mi')),
    ]),
    'Guaranteed',
  ],
  [
    pod('best-effort-best-effort', [
      container('best-effort', resourceList('', ''), resourceList('', '')),
      container('best-effort', resourceList('', ''), resourceList('', '')),
    ]),
    'BestEffort',
  ],
  [pod('best-effort', [container('best-effort', resourceList('', ''), resourceList('', ''))]), 'BestEffort'],
  [
    pod('best-effort-burstable', [
      container('best-effort', resourceList('', ''), resourceList('', '')),
      container('burstable', resourceList('1', ''), resourceList('2', '')),
    ]),
    'Burstable',
  ],
  [
    pod('best-effort-guaranteed', [
      container('best-effort', resourceList('', ''), resourceList('', '')),
      container('guaranteed', resourceList('10m', '100Mi'), resourceList('10m', '100Mi')),
    ]),
    'Burstable',
  ],
  [
    pod('burstable-cpu-guaranteed-memory', [container('burstable', resourceList('', '100Mi'), resourceList('', '100Mi'))]),
    'Burstable',
  ],
  [pod('burstable-no-limits', [container('burstable', resourceList('100m', '100Mi'), resourceList('', ''))]), 'Burstable'],
  [
    pod('burstable-guaranteed', [
      container('burstable', resourceList('1', '100Mi'), resourceList('2', '100Mi')),
      container('guaranteed', resourceList('100m', '100Mi'), resourceList('100m', '100Mi')),
    ]),
    'Burstable',
  ],
  [
    pod('burstable-unbounded-but-requests-match-limits', [
      container('burstable', resourceList('100m', '100Mi'), resourceList('200m', '200Mi')),
      container('burstable-unbounded', resourceList('100m', '100Mi'), resourceList('', '')),
    ]),
    'Burstable',
  ],
  [pod('burstable-1', [container('burstable', resourceList('10m', '100Mi'), resourceList('100m', '200Mi'))]), 'Burstable'],
  [pod('burstable-2', [container('burstable', resourceList('0', '0'), resourceList('100m', '200Mi'))]), 'Burstable'],
  [
    pod('best-effort-hugepages', [
      container(
        'best-effort',
        { ...resourceList('0', '0'), 'hugepages-2Mi': '1Gi' },
        { ...resourceList('0', '0'), 'hugepages-2Mi': '1Gi' },
      ),
    ]),
    'BestEffort',
  ],
  [
    pod('init-container', [container('best-effort', resourceList('', ''), resourceList('', ''))], {
      initContainers: [container('burstable', resourceList('10m', '100Mi'), resourceList('100m', '200Mi'))],
    }),
    'Burstable',
  ],
  [
    podWithResources(
      'guaranteed-with-pod-level-resources',
      [container('best-effort', resourceList('', ''), resourceList('', ''))],
      resourceList('10m', '100Mi'),
      resourceList('10m', '100Mi'),
    ),
    'Guaranteed',
  ],
  [
    podWithResources(
      'guaranteed-with-pod-and-container-level-resources',
      [container('burstable', resourceList('3m', '10Mi'), resourceList('5m', '20Mi'))],
      resourceList('10m', '100Mi'),
      resourceList('10m', '100Mi'),
    ),
    'Guaranteed',
  ],
  [
    podWithResources(
      'burstable-with-pod-level-resources',
      [container('best-effort', resourceList('', ''), resourceList('', ''))],
      resourceList('10m', '10Mi'),
      resourceList('20m', '50Mi'),
    ),
    'Burstable',
  ],
  [
    podWithResources(
      'burstable-with-pod-and-container-level-resources',
      [container('burstable', resourceList('5m', '10Mi'), resourceList('5m', '10Mi'))],
      resourceList('10m', '10Mi'),
      resourceList('20m', '50Mi'),
    ),
    'Burstable',
  ],
  [
    podWithResources(
      'burstable-with-pod-and-container-level-requests',
      [container('burstable', resourceList('5m', '10Mi'), resourceList('', ''))],
      resourceList('10m', '10Mi'),
      resourceList('', ''),
    ),
    'Burstable',
  ],
  [
    podWithResources(
      'burstable-with-pod-and-container-level-resources-2',
      [
        container('burstable', resourceList('5m', '10Mi'), resourceList('', '')),
        container('guaranteed', resourceList('5m', '10Mi'), resourceList('5m', '10Mi')),
      ],
      resourceList('10m', '10Mi'),
      resourceList('5m', ''),
    ),
    'Burstable',
  ],
];

describe('computeQosClass (upstream TestComputePodQOS)', () => {
  it.each(UPSTREAM_CASES)('%#: %o is %s', (p, expected) => {
    expect(computeQosClass(p)).toBe(expected);
  });
});

describe('computeQosClass beyond the upstream table', () => {
  it('defaults requests from limits first, as the API server does for pods', () => {
    const p = pod('only-limits', [{ name: 'app', resources: { limits: { cpu: '500m', memory: '128Mi' } } }]);
    expect(computeQosClass(p)).toBe('Guaranteed');
  });

  it('compares quantities exactly, not textually', () => {
    const p = pod('spelled-differently', [container('app', resourceList('0.5', '1Gi'), resourceList('500m', '1024Mi'))]);
    expect(computeQosClass(p)).toBe('Guaranteed');
  });

  it('ignores ephemeral-storage and extended resources', () => {
    const p = pod('storage', [
      container(
        'app',
        { ...resourceList('100m', '64Mi'), 'ephemeral-storage': '1Gi' },
        { ...resourceList('100m', '64Mi'), 'ephemeral-storage': '2Gi', 'nvidia.com/gpu': '1' },
      ),
    ]);
    expect(computeQosClass(p)).toBe('Guaranteed');
    expect(computeQosClass(pod('storage-only', [container('app', { 'ephemeral-storage': '1Gi' }, {})]))).toBe('BestEffort');
  });

  it('counts init containers: a best-effort init container keeps a pod from Guaranteed', () => {
    const p = pod('init-best-effort', [container('app', resourceList('1', '1Gi'), resourceList('1', '1Gi'))], {
      initContainers: [{ name: 'setup' }],
    });
    expect(computeQosClass(p)).toBe('Burstable');
  });

  it('sums across containers: per-container differences that cancel out still give Guaranteed', () => {
    const p = pod('cancel-out', [
      container('a', resourceList('100m', '64Mi'), resourceList('200m', '64Mi')),
      container('b', resourceList('200m', '64Mi'), resourceList('100m', '64Mi')),
    ]);
    const explained = explainQos(p);
    expect(explained.qosClass).toBe('Guaranteed');
    expect(explained.reason).toBe('cpu and memory requests add up to the limits across containers');
  });

  it('falls back to containers when spec.resources holds no pod-level resource', () => {
    const p = pod('empty-pod-level', [container('app', resourceList('1', '1Gi'), resourceList('1', '1Gi'))], {
      resources: {},
    });
    expect(computeQosClass(p)).toBe('Guaranteed');
    expect(explainQos(p).decidedBy).toBe('containers');
  });

  it('defaults pod-level requests from pod-level limits when no container requests', () => {
    const p = podWithResources('pod-limits-only', [{ name: 'app' }], {}, resourceList('1', '1Gi'));
    expect(computeQosClass(p)).toBe('Guaranteed');
  });

  it('accepts a typed V1Pod', () => {
    const typed: V1Pod = {
      spec: { containers: [{ name: 'app', resources: { requests: { cpu: '1' }, limits: { cpu: '2' } } }] },
      status: { qosClass: 'Burstable' },
    };
    expect(computeQosClass(typed)).toBe('Burstable');
  });

  it('accepts a plain KubeObject from the store', () => {
    const stored: KubeObject = {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'app', resources: { limits: { cpu: 1, memory: '1Gi' } } }] },
    };
    expect(computeQosClass(stored)).toBe('Guaranteed');
  });
});

describe('explainQos', () => {
  it('says why a pod is BestEffort', () => {
    const e = explainQos(pod('be', [{ name: 'app' }]));
    expect(e).toMatchObject({ qosClass: 'BestEffort', reason: 'no container sets requests or limits', mismatch: false });
    expect(e.totals).toEqual({ requests: {}, limits: {} });
  });

  it('names a cpu limit that differs from the request', () => {
    const e = explainQos(pod('burst', [container('app', resourceList('250m', '64Mi'), resourceList('500m', '64Mi'))]));
    expect(e.qosClass).toBe('Burstable');
    expect(e.reason).toBe('container app: cpu limit 500m != request 250m');
  });

  it('names a missing memory limit, before any mismatch further on', () => {
    const e = explainQos(
      pod('burst', [
        container('app', resourceList('250m', '64Mi'), resourceList('250m', '')),
        container('web', resourceList('1', '64Mi'), resourceList('2', '64Mi')),
      ]),
    );
    expect(e.reason).toBe('container app: no memory limit');
  });

  it('flags init containers in reasons and in the container list', () => {
    const e = explainQos(
      pod('init', [container('app', resourceList('1', '1Gi'), resourceList('1', '1Gi'))], {
        initContainers: [container('migrate', resourceList('100m', ''), resourceList('100m', ''))],
      }),
    );
    expect(e.reason).toBe('init container migrate: no memory limit');
    expect(e.containers.map((c) => [c.name, c.init])).toEqual([
      ['app', false],
      ['migrate', true],
    ]);
  });

  it('explains Guaranteed and marks requests defaulted from limits', () => {
    const e = explainQos(
      pod('g', [{ name: 'app', resources: { requests: { cpu: '500m' }, limits: { cpu: '0.5', memory: '256Mi' } } }]),
    );
    expect(e.qosClass).toBe('Guaranteed');
    expect(e.reason).toBe('all containers set equal cpu and memory requests and limits');
    expect(e.containers[0].defaultedRequests).toEqual(['memory']);
    expect(shown(e.containers[0].requests)).toEqual({ cpu: '500m', memory: '256Mi' });
  });

  it('sums requests and limits over app and init containers (upstream collectContainerLevelResources)', () => {
    const e = explainQos(
      pod(
        'sums',
        [
          container('c1', resourceList('100m', '100Mi'), resourceList('200m', '200Mi')),
          container('c2', resourceList('300m', '400Mi'), resourceList('800m', '1000Mi')),
        ],
        { initContainers: [container('init', resourceList('50m', '50Mi'), resourceList('100m', '100Mi'))] },
      ),
    );
    expect(shown(e.totals.requests)).toEqual({ cpu: '450m', memory: '550Mi' });
    expect(shown(e.totals.limits)).toEqual({ cpu: '1100m', memory: '1300Mi' });
  });

  it('leaves zero requests out of the sums (upstream: only positive quantities count)', () => {
    const e = explainQos(pod('zero', [container('c1', resourceList('0', '0'), resourceList('100m', ''))]));
    expect(shown(e.totals.requests)).toEqual({});
    expect(shown(e.totals.limits)).toEqual({ cpu: '100m' });
    expect(e.reason).toBe('container c1: no memory limit');
  });

  it('explains pod-level decisions', () => {
    const burst = explainQos(
      podWithResources('p', [{ name: 'app' }], resourceList('10m', '10Mi'), resourceList('20m', '10Mi')),
    );
    expect(burst).toMatchObject({ qosClass: 'Burstable', decidedBy: 'pod', reason: 'pod-level resources: cpu limit 20m != request 10m' });

    const noMemoryLimit = explainQos(podWithResources('p', [{ name: 'app' }], resourceList('10m', '10Mi'), resourceList('10m', '')));
    expect(noMemoryLimit.reason).toBe('pod-level resources: no memory limit');

    const guaranteed = explainQos(podWithResources('p', [{ name: 'app' }], resourceList('1', '1Gi'), resourceList('1', '1Gi')));
    expect(guaranteed).toMatchObject({ qosClass: 'Guaranteed', reason: 'pod-level resources: cpu and memory requests equal limits' });
    expect(shown(guaranteed.totals.limits)).toEqual({ cpu: '1', memory: '1Gi' });
  });

  it('reports a status.qosClass that disagrees', () => {
    const p: PodLike = { ...pod('m', [container('app', resourceList('1', '1Gi'), resourceList('1', '1Gi'))]), status: { qosClass: 'Burstable' } };
    expect(explainQos(p)).toMatchObject({ qosClass: 'Guaranteed', statusQosClass: 'Burstable', mismatch: true });
    expect(getPodQosClass(p)).toBe('Burstable');
    const agreeing: PodLike = { ...p, status: { qosClass: 'Guaranteed' } };
    expect(explainQos(agreeing).mismatch).toBe(false);
    expect(explainQos({ ...p, status: {} }).mismatch).toBe(false);
  });
});

describe('defaulting helpers', () => {
  it('defaultContainerRequests copies only missing requests', () => {
    expect(defaultContainerRequests({ requests: { cpu: '100m' }, limits: { cpu: '1', memory: '1Gi' } })).toEqual({
      requests: { cpu: '100m', memory: '1Gi' },
      defaulted: ['memory'],
    });
    expect(defaultContainerRequests({ requests: { cpu: '1' } })).toEqual({ requests: { cpu: '1' }, defaulted: [] });
  });

  it('defaultPodLevelResources: requests from the containers aggregate, else from the pod limit', () => {
    const spec = defaultPodLevelResources({
      containers: [
        { name: 'a', resources: { requests: { cpu: '100m' } } },
        { name: 'b', resources: { requests: { cpu: '200m' } } },
      ],
      initContainers: [{ name: 'i', resources: { requests: { cpu: '250m' } } }],
      resources: { limits: { cpu: '1', memory: '1Gi' } },
    });
    expect(spec?.resources?.requests).toEqual({ cpu: '300m', memory: '1Gi' });
  });

  it('defaultPodLevelResources: limits from containers when all set one and pod requests exist', () => {
    const spec = defaultPodLevelResources({
      containers: [
        { name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } },
        { name: 'b', resources: { limits: { cpu: '500m' } } },
      ],
      resources: { requests: { cpu: '1', memory: '512Mi' } },
    });
    expect(spec?.resources?.limits).toEqual({ cpu: '1500m' });
  });

  it('defaultPodLevelResources returns the same spec when nothing changes', () => {
    const unchanged = { containers: [{ name: 'a' }] };
    expect(defaultPodLevelResources(unchanged)).toBe(unchanged);
  });
});

describe('evictionRank (memory pressure)', () => {
  const bestEffort = pod('be', [{ name: 'app' }]);
  const smallBurstable = pod('burst-small', [container('app', resourceList('', '64Mi'), resourceList('', ''))]);
  const bigBurstable = pod('burst-big', [container('app', resourceList('', '1Gi'), resourceList('', ''))]);
  const guaranteed = pod('g', [container('app', resourceList('1', '1Gi'), resourceList('1', '1Gi'))]);

  it('without usage: BestEffort, then Burstable by memory request ascending, then Guaranteed', () => {
    const order = evictionRank([guaranteed, bigBurstable, bestEffort, smallBurstable]).map((p) => p.metadata?.name);
    expect(order).toEqual(['be', 'burst-small', 'burst-big', 'g']);
  });

  it('lower priority goes first within a class', () => {
    const important = { ...smallBurstable, metadata: { name: 'important', namespace: 'default' }, spec: { ...smallBurstable.spec, priority: 1000 } };
    const order = evictionRank([important, bigBurstable]).map((p) => p.metadata?.name);
    expect(order).toEqual(['burst-big', 'important']);
  });

  it('with usage: pods over their request first, then by usage minus request', () => {
    const usage: Record<string, string> = { 'burst-small': '100Mi', 'burst-big': '1200Mi', other: '10Mi' };
    const under = pod('other', [container('app', resourceList('', '32Mi'), resourceList('', ''))]);
    const order = evictionRank([under, smallBurstable, bigBurstable], (p) => parseQuantity(usage[p.metadata?.name ?? '']));
    // burst-big is 176Mi over, burst-small 36Mi over, other is within its request.
    expect(order.map((p) => p.metadata?.name)).toEqual(['burst-big', 'burst-small', 'other']);
  });

  it('uses the pod-level memory request when set', () => {
    const podLevel = podWithResources('pod-level', [{ name: 'app' }], resourceList('', '2Gi'), {});
    const order = evictionRank([podLevel, bigBurstable]).map((p) => p.metadata?.name);
    expect(order).toEqual(['burst-big', 'pod-level']);
  });

  it('does not reorder its input', () => {
    const input = [guaranteed, bestEffort];
    evictionRank(input);
    expect(input).toEqual([guaranteed, bestEffort]);
  });
});

// pkg/apis/core/v1/helper/qos/qos_test.go, TestCollectContainerLevelResources and
// TestCollectPodLevelResources: the sums the class is decided on, and why each is not Guaranteed.
describe('the sums QoS decides on (upstream collect*LevelResources)', () => {
  it('single container with cpu and memory limits: sums are its own, Burstable as they differ', () => {
    const e = explainQos(pod('c', [container('c1', resourceList('100m', '200Mi'), resourceList('200m', '400Mi'))]));
    expect(shown(e.totals.requests)).toEqual({ cpu: '100m', memory: '200Mi' });
    expect(shown(e.totals.limits)).toEqual({ cpu: '200m', memory: '400Mi' });
    expect(e).toMatchObject({ qosClass: 'Burstable', reason: 'container c1: cpu limit 200m != request 100m' });
  });

  it('an init container missing its cpu limit keeps the pod from Guaranteed', () => {
    const e = explainQos(
      pod(
        'c',
        [
          container('c1', resourceList('100m', '100Mi'), resourceList('200m', '300Mi')),
          container('c2', resourceList('300m', '100Mi'), resourceList('50m', '300Mi')),
        ],
        { initContainers: [container('init1', resourceList('50m', '50Mi'), resourceList('', '50Mi'))] },
      ),
    );
    expect(shown(e.totals.requests)).toEqual({ cpu: '450m', memory: '250Mi' });
    expect(shown(e.totals.limits)).toEqual({ cpu: '250m', memory: '650Mi' });
    expect(e).toMatchObject({ qosClass: 'Burstable', reason: 'init container init1: no cpu limit' });
  });

  it('ignores ephemeral containers', () => {
    const p = pod('c', [container('c1', resourceList('250m', '256Mi'), resourceList('500m', '512Mi'))], {});
    (p.spec as Record<string, unknown>).ephemeralContainers = [{ name: 'ec1' }];
    const e = explainQos(p);
    expect(shown(e.totals.requests)).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(shown(e.totals.limits)).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(e.containers.map((c) => c.name)).toEqual(['c1']);
  });

  it.each([
    ['cpu+mem limits present', resourceList('100m', '128Mi'), resourceList('750m', '512Mi'), 'pod-level resources: cpu limit 750m != request 100m'],
    ['only cpu limit', resourceList('100m', '128Mi'), resourceList('750m', ''), 'pod-level resources: no memory limit'],
    ['only memory limit', resourceList('100m', '128Mi'), resourceList('', '512Mi'), 'pod-level resources: no cpu limit'],
    ['no limits', resourceList('100m', '128Mi'), resourceList('', ''), 'pod-level resources: no cpu limit'],
  ])('pod-level resources, %s: the pod-level lists as given, Burstable', (_, requests, limits, reason) => {
    const e = explainQos({ spec: { resources: { requests, limits } } });
    expect(shown(e.totals.requests)).toEqual(requests);
    expect(shown(e.totals.limits)).toEqual(limits);
    expect(e).toMatchObject({ qosClass: 'Burstable', decidedBy: 'pod', reason });
  });
});
