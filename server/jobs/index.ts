import { hostname } from 'node:os';
import type { Deps } from '../domain/context';
import { processCaseDeadlines } from '../domain/cases/process-deadlines';
import { deliverOutbox } from './deliver-outbox';
import { runGovernance } from './governance';
import { createScheduler, type Job } from './scheduler';

/** The background jobs every instance runs; leases make sure only one instance acts on each. */
export const JOBS: Job[] = [
  { name: 'deliver-outbox', run: (deps) => deliverOutbox(deps) },
  { name: 'case-deadlines', run: (deps) => processCaseDeadlines(deps) },
  { name: 'governance', run: (deps) => runGovernance(deps) },
];

export function createJobRunner(deps: Deps, intervalMs = 5_000) {
  return createScheduler(deps, { holder: `${hostname()}:${process.pid}`, intervalMs, jobs: JOBS });
}
