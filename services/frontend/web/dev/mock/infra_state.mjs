// State of the mock infra service for dev/mock/infra.mjs (development aid only): regions
// us-east-1 (primary) and eu-west-1, VPC made0 172.16.0.0/16 with seed figure 6's subnets, a few
// instances and their address leases, and sagas: completed CreateInstances, a compensated one
// (runInstance failed; its compensations ran in reverse), one stuck in compensation_failed (the
// console can retry it), and a live one that starts with the first request and advances over
// ~20 s, then another a minute after it finished (four in all).

import { hexId, iso, script, summarize } from './saga_scripts.mjs';

const id = (prefix) => `${prefix}-${hexId(prefix === 'saga' ? 16 : 17)}`;

// mode: 'demo' (all of the above) or 'empty' (the network only: no instances, no sagas).
export function createInfraState({ owner, mode = 'demo', now = () => Date.now() }) {
  const t0 = now();
  const at = (minutesAgo) => t0 - minutesAgo * 60_000;
  const regions = [
    {
      name: 'us-east-1',
      primary: true,
      pool: '172.16.0.0/13',
      availability_zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    },
    {
      name: 'eu-west-1',
      primary: false,
      pool: '172.24.0.0/13',
      availability_zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    },
  ];
  const vpc = {
    id: id('vpc'),
    region: 'us-east-1',
    name: 'made0',
    cidr: '172.16.0.0/16',
    provider_id: null,
    created_at: iso(at(95)),
  };
  const subnets = [
    ['us-east-1a', '172.16.128.0/17'],
    ['us-east-1b', '172.16.64.0/18'],
    ['us-east-1c', '172.16.32.0/19'],
  ].map(([az, cidr]) => ({
    id: id('subnet'),
    vpc_id: vpc.id,
    name: `made0-${az}`,
    availability_zone: az,
    cidr,
    provider_id: null,
    created_at: iso(at(95)),
  }));
  const subnetIn = (az) => subnets.find((s) => s.availability_zone === az);
  const sg = {
    id: id('sg'),
    vpc_id: vpc.id,
    name: 'made0-clusters',
    description: 'cluster members',
    provider_id: null,
    created_at: iso(at(95)),
    ingress: [{ id: 'sgr-1', protocol: 'tcp', from_port: 2379, to_port: 2380, source_cidr: '172.16.0.0/16' }],
  };
  const clusters = [
    { owner, name: 'demo', region: 'us-east-1', vpc_id: vpc.id, security_group_id: sg.id, created_at: iso(at(42)) },
    {
      owner,
      name: 'etcd-demo',
      region: 'us-east-1',
      vpc_id: vpc.id,
      security_group_id: sg.id,
      created_at: iso(at(90)),
    },
  ];
  const instances = [];
  const leases = [];
  const sagas = [];

  const lease = (saga, az, ip, createdMs) =>
    leases.push({ subnet_id: subnetIn(az).id, address: ip, owner: `${saga.id}/subnet`, created_at: iso(createdMs) });
  const instance = (saga, az, ip, extra, createdMs) => {
    const inst = {
      id: saga.outputs.instanceId,
      saga_id: saga.id,
      owner,
      cluster: saga.input.cluster,
      region: 'us-east-1',
      availability_zone: az,
      subnet_id: subnetIn(az).id,
      private_ip: ip,
      instance_type: 'small',
      image: 'test',
      state: 'pending',
      endpoints: {},
      provider: 'local',
      created_at: iso(createdMs),
      updated_at: iso(createdMs),
      ...extra,
    };
    instances.push(inst);
    return inst;
  };
  const newSaga = (type, startMs, input, az, ip) => {
    const saga = {
      id: id('saga'),
      type,
      created: startMs,
      engine: `infra-${hexId(12)}`,
      input,
      events: [],
      applied: 0,
      outputs: {
        cluster: { name: input.cluster, vpc_id: vpc.id },
        securityGroupIds: [sg.id],
        count: 1,
        subnetId: subnetIn(az ?? 'us-east-1a').id,
        instanceId: id('i'),
        instance: { private_ip: ip },
      },
    };
    sagas.push(saga);
    return saga;
  };
  const create = (startMin, cluster, az, ip, image, endpoints) => {
    const s = newSaga(
      'CreateInstance',
      at(startMin),
      { owner, cluster, region: 'us-east-1', availability_zone: az, category: 'small', image },
      az,
      ip,
    );
    s.events = script('CreateInstance', s.created, [
      ['ok', 0, 140],
      ['ok', 1, 45],
      ['ok', 2, 4],
      ['ok', 3, 38],
      ['ok', 4, 420],
      ['poll', 5, 12, 250],
      ['poll', 5, 10, 250],
      ['ok', 5, 14],
      ['ok', 6, 22],
      ['ok', 7, 9],
      ['finish', 'completed'],
    ]);
    lease(s, az, ip, s.created + 200);
    instance(
      s,
      az,
      ip,
      { state: 'running', image, instance_type: image === 'etcd' ? 'medium' : 'small', endpoints },
      s.created + 650,
    );
  };

  const state = {
    regions,
    vpcs: [vpc],
    subnets,
    securityGroups: [sg],
    clusters,
    instances,
    leases,
    sagas,
    tick: () => {},
    retry: null,
  };
  if (mode === 'empty') {
    state.clusters = [];
    return state;
  }

  // History, oldest first.
  create(88, 'etcd-demo', 'us-east-1a', '172.16.128.4', 'etcd', { client: '127.0.0.1:42379', peer: '127.0.0.1:42380' });
  create(87.9, 'etcd-demo', 'us-east-1b', '172.16.64.4', 'etcd', {
    client: '127.0.0.1:42479',
    peer: '127.0.0.1:42480',
  });
  create(87.8, 'etcd-demo', 'us-east-1c', '172.16.32.4', 'etcd', {
    client: '127.0.0.1:42579',
    peer: '127.0.0.1:42580',
  });
  create(41, 'demo', 'us-east-1a', '172.16.128.5', 'test', { http: '127.0.0.1:41017' });

  const compensated = newSaga(
    'CreateInstance',
    at(23),
    { owner, cluster: 'demo', region: 'us-east-1', availability_zone: 'us-east-1b', category: 'small', image: 'test' },
    'us-east-1b',
    '172.16.64.5',
  );
  compensated.events = script('CreateInstance', compensated.created, [
    ['ok', 0, 160],
    ['ok', 1, 40],
    ['ok', 2, 5],
    ['ok', 3, 35],
    ['retry', 4, 310, 'InsufficientInstanceCapacity: no capacity for small instances in us-east-1b', 200],
    ['crash', 4, 900, 410],
    ['fail', 4, 280, 'InsufficientInstanceCapacity: us-east-1b is down (failure injected)'],
    ['undoPoll', 4, 60, 250],
    ['undo', 4, 45],
    ['undo', 3, 30],
    ['finish', 'compensated'],
  ]);

  const stuck = newSaga(
    'CreateInstance',
    at(9),
    { owner, cluster: 'demo', region: 'us-east-1', availability_zone: 'us-east-1c', category: 'small', image: 'test' },
    'us-east-1c',
    '172.16.32.5',
  );
  stuck.events = script('CreateInstance', stuck.created, [
    ['ok', 0, 150],
    ['ok', 1, 42],
    ['ok', 2, 4],
    ['ok', 3, 36],
    ['ok', 4, 480],
    ['poll', 5, 15, 500],
    ['poll', 5, 12, 500],
    ['fail', 5, 14, 'timed out after 1500 ms'],
    ['undoRetry', 4, 30, 'hostd: connection refused', 200],
    ['undoRetry', 4, 30, 'hostd: connection refused', 400],
    ['undoFail', 4, 30, 'hostd: connection refused'],
    ['finish', 'compensation_failed'],
  ]);
  lease(stuck, 'us-east-1c', '172.16.32.5', stuck.created + 220); // held until its undo runs

  // The live ones: the first starts with the first request, the next a minute after the last
  // one finished.
  const kLiveZones = [
    ['us-east-1b', '172.16.64.6'],
    ['us-east-1a', '172.16.128.6'],
    ['us-east-1c', '172.16.32.6'],
    ['us-east-1b', '172.16.64.7'],
  ];
  let lives = 0;
  const startLive = (startMs) => {
    const [az, ip] = kLiveZones[lives++];
    const s = newSaga(
      'CreateInstance',
      startMs,
      { owner, cluster: 'demo', region: 'us-east-1', availability_zone: az, category: 'small', image: 'test' },
      az,
      ip,
    );
    // As in infra, the address is leased at the subnet step and the instance record saved (running)
    // by saveInstance: in between, the address shows as allocated without an instance.
    s.events = script('CreateInstance', startMs, [
      ['ok', 0, 1800],
      ['ok', 1, 600],
      ['ok', 2, 120],
      ['ok', 3, 500, () => lease(s, az, ip, now())],
      ['retry', 4, 900, 'RequestLimitExceeded: too many RunInstances calls; slow down', 1600],
      ['ok', 4, 1400],
      ...Array.from({ length: 5 }, () => ['poll', 5, 150, 1500]),
      ['ok', 5, 200],
      [
        'ok',
        6,
        400,
        () => instance(s, az, ip, { state: 'running', endpoints: { http: `127.0.0.1:${41100 + lives}` } }, now()),
      ],
      ['ok', 7, 300],
      ['finish', 'completed'],
    ]);
  };
  state.tick = () => {
    const t = now();
    const last = sagas[sagas.length - 1];
    if (lives === 0) startLive(t + 800);
    else if (lives < kLiveZones.length && summarize(last, t).phase === 'done' && t - last.events.at(-1).at > 60_000)
      startLive(t);
    for (const s of sagas) {
      while (s.applied < s.events.length && s.events[s.applied].at <= t) s.events[s.applied++].effect?.();
    }
  };

  // retry: what POST /v1/sagas/{id}/retry does to a compensation_failed saga; an error text otherwise.
  state.retry = (saga) => {
    const t = now();
    const { status } = summarize(saga, t);
    if (status !== 'compensation_failed') return `saga ${saga.id} is ${status}, not compensation_failed`;
    const release = () => {
      const i = leases.findIndex((l) => l.owner.startsWith(`${saga.id}/`));
      if (i >= 0) leases.splice(i, 1);
    };
    const more = script(saga.type, t, [
      ['undoPoll', 4, 200, 600],
      ['undo', 4, 150],
      ['undo', 3, 300, release],
      ['finish', 'compensated'],
    ]).slice(1);
    const seq = saga.events.length;
    saga.events.push(
      {
        seq: seq + 1,
        at: t,
        kind: 'compensation_retry_requested',
        step: 4,
        step_name: 'runInstance',
        attempt: 0,
        duration_ms: null,
        error: '',
        detail: {},
      },
      ...more.map((e, i) => ({ ...e, seq: seq + 2 + i, at: e.at + 300 })),
    );
    return null;
  };
  return state;
}
