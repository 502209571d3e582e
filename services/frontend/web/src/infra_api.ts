// The infra service's objects as the console's /api/infra passes them through (the contract is
// docs/infra-api.md), and the calls the Infrastructure page makes.
// Example: const { subnets } = await infraApi.subnets();

import { request } from './api';

export interface Region {
  name: string;
  primary: boolean;
  pool: string;
  availability_zones: string[];
}

export interface Vpc {
  id: string;
  region: string;
  name: string;
  cidr: string;
  provider_id?: string | null;
  created_at: string;
}

export interface Subnet {
  id: string;
  vpc_id: string;
  name: string;
  availability_zone: string;
  cidr: string;
  addresses_in_use: number;
  provider_id?: string | null;
  created_at: string;
}

export interface AddressLease {
  subnet_id: string;
  address: string;
  owner: string;
  created_at: string;
}

export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated';

export interface Instance {
  id: string;
  saga_id?: string;
  owner: string;
  cluster: string;
  region: string;
  availability_zone: string;
  subnet_id: string;
  private_ip: string;
  instance_type?: string;
  image?: string;
  state: InstanceState | string;
  // Why the cloud stopped or terminated it on its own (infra's instance watcher), or ''.
  state_reason?: string;
  endpoints?: Record<string, string>;
  provider?: string;
  created_at: string;
  updated_at?: string;
}

export type SagaStatus = 'running' | 'compensating' | 'completed' | 'compensated' | 'compensation_failed';

export interface SagaSummary {
  id: string;
  type: string;
  status: SagaStatus | string;
  phase: string; // ready, in_progress, awaiting_reply, finishing, done
  step: number;
  step_name: string;
  attempt: number;
  error: string;
  owner: string; // the engine holding it now
  created_at: string;
  updated_at: string;
}

export interface SagaStep {
  name: string;
  compensable: boolean;
  async: boolean;
  persist: string | null;
}

export interface SagaEvent {
  seq: number;
  at: string;
  kind: string;
  step: number;
  step_name: string;
  attempt: number;
  duration_ms?: number | null;
  error?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface Saga extends SagaSummary {
  steps: SagaStep[];
  input?: Record<string, unknown>;
  data?: Record<string, unknown>;
  events: SagaEvent[];
}

const q = (params: Record<string, string | number | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};
const id = encodeURIComponent;

export const infraApi = {
  regions: () => request<{ regions: Region[] }>('GET', '/api/infra/regions'),
  vpcs: () => request<{ vpcs: Vpc[] }>('GET', '/api/infra/vpcs'),
  subnets: () => request<{ subnets: Subnet[] }>('GET', '/api/infra/subnets'),
  addresses: (subnetId: string) =>
    request<{ addresses: AddressLease[] }>('GET', `/api/infra/subnets/${id(subnetId)}/addresses`),
  instances: () => request<{ instances: Instance[] }>('GET', '/api/infra/instances'),
  sagas: (limit: number) => request<{ sagas: SagaSummary[] }>('GET', `/api/infra/sagas${q({ limit })}`),
  saga: (sagaId: string) => request<Saga>('GET', `/api/infra/sagas/${id(sagaId)}`),
  retrySaga: (sagaId: string) => request<SagaSummary>('POST', `/api/infra/sagas/${id(sagaId)}/retry`),
};

export function isTerminalStatus(status: string): boolean {
  return status === 'completed' || status === 'compensated' || status === 'compensation_failed';
}

// A saga the console stops watching: terminal and its end reported (phase done).
export function isFinished(s: Pick<SagaSummary, 'status' | 'phase'>): boolean {
  return isTerminalStatus(s.status) && s.phase === 'done';
}
