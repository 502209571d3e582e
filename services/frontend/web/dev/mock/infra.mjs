// Mock of the console's /api/infra for dev/mock-api.mjs (development aid only), in the shapes of
// docs/infra-api.md, over the state of infra_state.mjs. Path IDs are checked as the frontend
// does (422 naming the field); POST .../retry works on the saga left in compensation_failed.

import { fail, send } from './http.mjs';
import { createInfraState } from './infra_state.mjs';
import { publicSaga, summarize } from './saga_scripts.mjs';

const kIdShapes = [
  [/^\/api\/infra\/subnets\/([^/]+)\/addresses$/, /^subnet-[0-9a-f]{17}$/, 'subnet_id', 'addresses'],
  [/^\/api\/infra\/instances\/([^/]+)$/, /^i-[0-9a-f]{17}$/, 'instance_id', 'instance'],
  [/^\/api\/infra\/sagas\/([^/]+)\/retry$/, /^saga-[0-9a-f]{16}$/, 'saga_id', 'retry'],
  [/^\/api\/infra\/sagas\/([^/]+)$/, /^saga-[0-9a-f]{16}$/, 'saga_id', 'saga'],
];

// createInfra returns handle(req, res, url, user) for /api/infra/... . mode: 'demo', 'empty'
// (see infra_state.mjs) or 'down' (every route answers 503, as when no infra instance runs).
export function createInfra({ owner, mode = 'demo', now = () => Date.now() }) {
  if (mode === 'down') return (req, res) => fail(res, 503, 'unavailable', 'infra: no live instance');
  const state = createInfraState({ owner, mode, now });
  const subnetJson = (s) => ({ ...s, addresses_in_use: state.leases.filter((l) => l.subnet_id === s.id).length });

  // handle answers /api/infra/... for a signed-in user (or null).
  return function handle(req, res, url, user) {
    if (!user) return fail(res, 401, 'unauthenticated', 'Not logged in.');
    if (!user.verified) return fail(res, 403, 'permission_denied', 'confirm your email address first');
    state.tick();
    const method = req.method ?? 'GET';
    const p = url.pathname;
    const q = url.searchParams;
    const t = now();
    const filterBy = (list, keys) => list.filter((x) => keys.every((k) => !q.get(k) || x[k] === q.get(k)));
    if (method === 'GET') {
      if (p === '/api/infra/regions') return send(res, 200, { regions: state.regions });
      if (p === '/api/infra/vpcs') return send(res, 200, { vpcs: filterBy(state.vpcs, ['region']) });
      if (p === '/api/infra/subnets')
        return send(res, 200, { subnets: filterBy(state.subnets, ['vpc_id']).map(subnetJson) });
      if (p === '/api/infra/security-groups')
        return send(res, 200, { security_groups: filterBy(state.securityGroups, ['vpc_id']) });
      if (p === '/api/infra/clusters') return send(res, 200, { clusters: filterBy(state.clusters, ['owner']) });
      if (p === '/api/infra/instances')
        return send(res, 200, { instances: filterBy(state.instances, ['owner', 'cluster', 'region']) });
      if (p === '/api/infra/sagas') {
        const limit = Math.min(200, Math.max(1, Number(q.get('limit') ?? 50) || 50));
        const list = state.sagas
          .filter((s) => s.created <= t)
          .map((s) => summarize(s, t))
          .reverse();
        return send(res, 200, { sagas: filterBy(list, ['status', 'type']).slice(0, limit) });
      }
    }
    for (const [route, shape, field, what] of kIdShapes) {
      const m = route.exec(p);
      if (!m) continue;
      const value = decodeURIComponent(m[1]);
      if ((what === 'retry') !== (method === 'POST')) break;
      if (!shape.test(value)) return fail(res, 422, 'invalid', `${field} is malformed`, { field });
      if (what === 'addresses') {
        const s = state.subnets.find((x) => x.id === value);
        return s
          ? send(res, 200, { addresses: state.leases.filter((l) => l.subnet_id === value) })
          : fail(res, 404, 'not_found', `no subnet ${value}`);
      }
      if (what === 'instance') {
        const i = state.instances.find((x) => x.id === value);
        return i ? send(res, 200, i) : fail(res, 404, 'not_found', `no instance ${value}`);
      }
      const saga = state.sagas.find((x) => x.id === value && x.created <= t);
      if (!saga) return fail(res, 404, 'not_found', `no saga ${value}`);
      if (what === 'saga') return send(res, 200, publicSaga(saga, t));
      const refused = state.retry(saga);
      return refused ? fail(res, 409, 'conflict', refused) : send(res, 202, summarize(saga, t));
    }
    return fail(res, 404, 'not_found', `No API route ${method} ${p}.`);
  };
}
