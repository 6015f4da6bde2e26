import { hostname } from 'node:os';
import type { Deps } from '../domain/context';
import { processCaseDeadlines } from '../domain/cases/process-deadlines';
import { createCalendarJob } from './calendar';
import { deliverOutbox } from './deliver-outbox';
import { runGovernance } from './governance';
import { createScheduler, type Job } from './scheduler';
import { createOrphanFilesJob } from './sweep-orphan-files';

/** The background jobs every instance runs; leases make sure only one instance acts on each. */
export function createJobs(): Job[] {
  return [
    // Two lanes: deliveries to courts never wait behind a backlog of notifications, nor the reverse.
    { name: 'deliver-webhooks', run: (deps) => deliverOutbox(deps, { lane: 'webhooks' }) },
    { name: 'deliver-notifications', run: (deps) => deliverOutbox(deps, { lane: 'notifications' }) },
    { name: 'case-deadlines', run: (deps) => processCaseDeadlines(deps) },
    { name: 'calendar', run: createCalendarJob() },
    { name: 'governance', run: (deps) => runGovernance(deps) },
    { name: 'orphan-files', run: createOrphanFilesJob() },
  ];
}

export function createJobRunner(deps: Deps, intervalMs = 5_000) {
  return createScheduler(deps, { holder: `${hostname()}:${process.pid}`, intervalMs, jobs: createJobs() });
}
