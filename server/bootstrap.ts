import { pdfPool } from './pdf/pool';
import type { Logger } from 'pino';
import type { Config } from './config';
import { openDatabase, type DatabaseHandle } from './db';
import { ensureTemplate, isNewDataDir, readTemplate } from './db-template';
import { readDemoSnapshot, type DemoSnapshot } from './demo-snapshot';
import { ensureAdmin } from './domain/bootstrap/ensure-admin';
import { seedDemo, type DemoAccount } from './domain/bootstrap/seed-demo';
import { systemClock, type Clock, type Deps } from './domain/context';
import { loadReferenceData } from './domain/regions/load-reference-data';
import { loadCalendar } from './domain/clock/calendar';
import { calendarCoverage, refreshCalendar } from './domain/clock/calendar-store';
import { recomputeProvisionalDeadlines } from './domain/clock/recompute-deadlines';
import { createSmsSender } from './domain/notify/sms-provider';
import { parseStorageUrl } from './storage/storage-url';
import { createLocalStorage, type FileStorage } from './storage/storage';

export interface Started {
  deps: Deps;
  handle: DatabaseHandle;
  demoAccounts: DemoAccount[] | null;
  timings: Record<string, number>;
}

/** Opens the database, applies migrations, loads reference data, the admin and (outside production) demo data. */
export async function prepare(config: Config, log: Logger, clock: Clock = systemClock, demoDir?: string): Promise<Started> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };
  // A new embedded database is restored from the migrated template rather than built step by step.
  let loadDataDir: Blob | undefined;
  let demo: DemoSnapshot | null = null;
  if (!config.databaseUrl && isNewDataDir(config.dataDir)) {
    // Today's demo, prepared by the install step, restores with its files; otherwise the migrated
    // template restores and the demo is seeded below.
    demo = config.seedDemo ? await readDemoSnapshot(config, clock, demoDir) : null;
    if (demo) {
      loadDataDir = demo.dump;
    } else {
      // The demo's settled cases render and sign agreements: a PDF worker gets ready meanwhile.
      if (config.seedDemo) pdfPool().warm();
      const template = await ensureTemplate();
      if (template.built) log.info({ path: template.path }, 'embedded database template built');
      loadDataDir = await readTemplate(template.path);
    }
    lap(demo ? 'demoSnapshot' : 'template');
  }
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    maxConnections: config.databasePoolSize,
    dataDir: config.dataDir,
    loadDataDir,
    onReadRetried: (err) => log.warn({ err }, 'database connection reset under a read: sent again on a fresh connection'),
  });
  lap('open');
  await handle.migrate();
  lap('migrate');
  const deps: Deps = { db: handle.db, clock, config, log, notifier: await createSmsSender(config, log, clock), calendar: loadCalendar(), storage: await openStorage(config, log) };
  const ref = await loadReferenceData(handle.db, clock);
  lap('referenceData');
  log.info({ ...ref }, 'reference data ready');
  // The calendar reads the notices in the database; a year without one is provisional.
  await refreshCalendar(handle.db, deps.calendar);
  if (ref.newHolidayYears.length > 0) {
    // A deploy shipped a notice: what rested on provisional days for that year is recomputed.
    const recomputed = await handle.db.transaction((tx) =>
      recomputeProvisionalDeadlines(tx, clock, { viewer: null, ip: null, userAgent: 'jiefen-start', requestId: null }, deps.calendar),
    );
    log.info({ years: ref.newHolidayYears, moved: recomputed.moved.length }, 'new holiday notices loaded');
  }
  const coverage = calendarCoverage(deps.calendar, clock);
  if (coverage.warning) log.warn({ officialThrough: coverage.officialThrough }, coverage.warning);
  else log.info({ officialThrough: coverage.officialThrough }, 'holiday calendar ready');
  const admin = await ensureAdmin(deps, config.admin);
  if (admin.created) log.info('platform admin created from ADMIN_PHONE');
  lap('admin');
  let demoAccounts: DemoAccount[] | null = null;
  if (demo) {
    // The agreements the snapshot's cases refer to, stored under the same content keys.
    for (const bytes of demo.objects) await deps.storage.put(bytes);
    demoAccounts = demo.accounts;
    lap('demoFiles');
  } else if (config.seedDemo) {
    demoAccounts = await seedDemo(deps, lap);
  }
  return { deps, handle, demoAccounts, timings };
}

/** Object storage when STORAGE_URL is set (the SDK is loaded only then), otherwise the local folder. */
async function openStorage(config: Config, log: Logger): Promise<FileStorage> {
  if (!config.storageUrl) {
    log.info({ dir: config.storageDir }, 'files stored on local disk');
    return createLocalStorage(config.storageDir);
  }
  const location = parseStorageUrl(config.storageUrl);
  const { createS3Storage } = await import('./storage/s3');
  log.info({ endpoint: location.endpoint, bucket: location.bucket, prefix: location.prefix }, 'files stored in object storage');
  return createS3Storage(location);
}
