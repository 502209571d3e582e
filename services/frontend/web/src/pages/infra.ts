// /infra: regions -> VPCs -> subnets drawn as address ranges filled by their instances, the
// instances and recent sagas (every 3 s), and the selected saga's timeline (?saga=ID), polled
// every second until the saga is finished.

import { h, replaceChildren } from '../dom';
import { ApiError, bannerText } from '../errors';
import {
  infraApi,
  type AddressLease,
  type Instance,
  type Region,
  type SagaSummary,
  type Subnet,
  type Vpc,
} from '../infra_api';
import { addressLegend, vpcBlock } from '../components/address_bars';
import { instancesTable, sagasTable } from '../components/infra_lists';
import { liveCard, type LiveCard } from '../components/live_card';
import { poll } from '../components/poller';
import { sagaPanel } from '../components/saga_panel';
import { navigate, type Page, type PageContext } from '../router';
import { session } from '../session';

const kOverviewEveryMs = 3000;
const kSagaLimit = 20;
const kSagaIdPattern = /^saga-[0-9a-f]{16}$/;

interface Overview {
  regions: Region[];
  vpcs: Vpc[];
  subnets: Subnet[];
  leases: Map<string, AddressLease[]>;
  instances: Instance[];
  sagas: SagaSummary[];
}

// Leases only for subnets that have some: the close-up shows addresses a saga took before its
// instance exists.
async function loadLeases(subnets: Subnet[]): Promise<Map<string, AddressLease[]>> {
  const used = subnets.filter((s) => (s.addresses_in_use ?? 0) > 0);
  const lists = await Promise.all(
    used.map((s) =>
      infraApi.addresses(s.id).then(
        (r) => r.addresses ?? [],
        () => [] as AddressLease[],
      ),
    ),
  );
  return new Map(used.map((s, i) => [s.id, lists[i] ?? []]));
}

async function loadOverview(): Promise<Overview> {
  const [regions, vpcs, subnets, instances, sagas] = await Promise.all([
    infraApi.regions(),
    infraApi.vpcs(),
    infraApi.subnets(),
    infraApi.instances(),
    infraApi.sagas(kSagaLimit),
  ]);
  const subnetList = subnets.subnets ?? [];
  return {
    regions: regions.regions ?? [],
    vpcs: vpcs.vpcs ?? [],
    subnets: subnetList,
    leases: await loadLeases(subnetList),
    instances: instances.instances ?? [],
    sagas: sagas.sagas ?? [],
  };
}

function regionSection(region: Region, o: Overview): HTMLElement {
  const vpcs = o.vpcs.filter((v) => v.region === region.name).sort((a, b) => a.name.localeCompare(b.name));
  return h(
    'section',
    { class: 'region', 'data-testid': 'region', 'data-region': region.name },
    h(
      'header',
      { class: 'region-head' },
      h('h3', {}, region.name),
      region.primary ? h('span', { class: 'badge badge-primary' }, 'primary') : null,
      h('span', { class: 'muted small' }, 'VPC pool ', h('span', { class: 'mono' }, region.pool)),
      h('span', { class: 'muted small' }, `zones ${(region.availability_zones ?? []).join(', ') || '–'}`),
    ),
    vpcs.length === 0
      ? h('p', { class: 'empty empty-compact' }, `No VPCs in ${region.name} yet.`)
      : vpcs.map((v) =>
          vpcBlock(
            v,
            o.subnets.filter((s) => s.vpc_id === v.id),
            o.instances,
            o.leases,
          ),
        ),
  );
}

function networks(o: Overview): HTMLElement {
  if (o.regions.length === 0) return h('p', { class: 'empty' }, 'No regions are configured.');
  const regions = o.regions
    .slice()
    .sort((a, b) => Number(b.primary) - Number(a.primary) || a.name.localeCompare(b.name));
  return h('div', { class: 'regions' }, addressLegend(), ...regions.map((r) => regionSection(r, o)));
}

function stat(label: string): { el: HTMLElement; set(v: string, sub?: string): void } {
  const value = h('div', { class: 'stat-value' }, '–');
  const note = h('div', { class: 'stat-note muted small' });
  return {
    el: h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), value, note),
    set: (v, sub = '') => {
      value.textContent = v;
      note.textContent = sub;
    },
  };
}

// The infra service being down is the likely failure here: say so rather than "made0".
function problemText(err: unknown): string {
  if (err instanceof ApiError && err.code === 'unavailable') {
    return "The infra service isn't answering right now.";
  }
  return bannerText(err);
}

// A card that has never shown data shows the error in place of its body; later failures keep
// the last data and say so in the card's banner.
function failed(card: LiveCard, what: string, loaded: boolean, err: unknown): void {
  if (loaded) return card.setUpdated(false, err);
  card.setStale(true); // the body says why: no second banner
  replaceChildren(
    card.body,
    h(
      'div',
      { class: 'banner banner-warning', role: 'alert', 'data-testid': 'infra-error' },
      `Couldn't load ${what}: ${problemText(err)} Trying again every ${kOverviewEveryMs / 1000} s.`,
    ),
  );
}

export function infraPage(ctx: PageContext): Page {
  const net = liveCard('Networks', 'networks-card', kOverviewEveryMs / 1000);
  const inst = liveCard('Instances', 'instances-card', kOverviewEveryMs / 1000);
  const sagas = liveCard('Recent sagas', 'sagas-card', kOverviewEveryMs / 1000);
  const stats = {
    regions: stat('Regions'),
    vpcs: stat('VPCs'),
    subnets: stat('Subnets'),
    instances: stat('Instances running'),
    sagas: stat('Sagas in flight'),
  };
  const stepCounts = new Map<string, number>();
  let last: Overview | null = null;
  let selected: string | null = null;
  let alive = true;
  const rendered = { net: '', inst: '', sagas: '' };

  const panel = sagaPanel({
    onLoaded: (saga) => {
      stepCounts.set(saga.type, saga.steps?.length ?? 0);
      // The panel polls faster than the list: keep the list's row in step with it.
      const row = last?.sagas.findIndex((s) => s.id === saga.id) ?? -1;
      if (last && row >= 0) {
        const { steps: _s, events: _e, input: _i, data: _d, ...summary } = saga;
        if (JSON.stringify(last.sagas[row]) !== JSON.stringify(summary)) {
          last.sagas[row] = summary;
          renderSagas();
        }
      }
    },
    onUnauthenticated: () => leave(),
    onChanged: () => overview.now(),
  });

  const leave = (): void => {
    session.set(null);
    navigate('/login', { replace: true });
  };

  const renderSagas = (): void => {
    if (!last) return;
    replaceChildren(
      sagas.body,
      sagasTable(last.sagas, selected, stepCounts, (id) => select(id, true)),
    );
  };

  const select = (id: string, scroll: boolean): void => {
    if (!kSagaIdPattern.test(id)) return;
    selected = id;
    history.replaceState(null, '', `/infra?saga=${encodeURIComponent(id)}`);
    renderSagas();
    panel.show(id, scroll);
  };

  let loadedOnce = false;
  const overview = poll(async () => {
    try {
      const o = await loadOverview();
      if (!alive) return;
      last = o;
      loadedOnce = true;
      const running = o.instances.filter((i) => i.state === 'running').length;
      const inFlight = o.sagas.filter((s) => s.phase !== 'done').length;
      stats.regions.set(String(o.regions.length), o.regions.find((r) => r.primary)?.name ?? '');
      stats.vpcs.set(String(o.vpcs.length));
      stats.subnets.set(String(o.subnets.length));
      stats.instances.set(String(running), `${o.instances.length} in all`);
      stats.sagas.set(String(inFlight), `${o.sagas.length} recent`);
      // Redraw only what changed, so hovering a bar is not interrupted every 3 s.
      const key = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : x));
      const netKey = key([o.regions, o.vpcs, o.subnets, o.leases, o.instances]);
      if (netKey !== rendered.net) replaceChildren(net.body, networks(o));
      const instKey = key([o.instances, Math.floor(Date.now() / 30_000)]);
      if (instKey !== rendered.inst)
        replaceChildren(
          inst.body,
          instancesTable(o.instances, (id) => select(id, true)),
        );
      const sagaKey = key([o.sagas, selected, [...stepCounts], Math.floor(Date.now() / 30_000)]);
      if (sagaKey !== rendered.sagas) renderSagas();
      Object.assign(rendered, { net: netKey, inst: instKey, sagas: sagaKey });
      for (const c of [net, inst, sagas]) c.setUpdated(true);
    } catch (e) {
      if (!alive) return;
      if (e instanceof ApiError && e.status === 401) return leave();
      failed(net, 'the networks', loadedOnce, e);
      failed(inst, 'the instances', loadedOnce, e);
      failed(sagas, 'the sagas', loadedOnce, e);
    }
  }, kOverviewEveryMs);

  const wanted = ctx.query.get('saga');
  if (wanted) select(wanted, false);

  const el = h(
    'div',
    { class: 'page', 'data-testid': 'page-infra' },
    h(
      'div',
      { class: 'page-header' },
      h('h1', {}, 'Infrastructure'),
      h(
        'p',
        { class: 'muted' },
        'Regions, VPCs and subnets with the addresses their instances hold, and the sagas that create and remove them.',
      ),
    ),
    h('div', { class: 'stats stats-5' }, ...Object.values(stats).map((s) => s.el)),
    net.el,
    inst.el,
    sagas.el,
    panel.el,
  );

  return {
    title: 'Infrastructure',
    el,
    dispose: () => {
      alive = false;
      overview.stop();
      panel.dispose();
    },
  };
}
