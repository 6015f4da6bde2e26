/**
 * `npm run seed:scale -- --cases 1000000 [--region 530326]`: fills the PostgreSQL database at DATABASE_URL with
 * realistic volume, in SQL (INSERT … SELECT over generate_series, in batches), not through the API:
 * a people's mediation committee with a mediator in every village of Yunnan, cases over three years
 * with a plausible mix of categories, statuses and levels, their milestones, agreements and
 * follow-ups for settled cases, and paid 以案定补 statements for every township and month.
 */
import postgres from 'postgres';
import { openDatabase } from '../../server/db';
import { systemClock } from '../../server/domain/context';
import { loadReferenceData } from '../../server/domain/regions/load-reference-data';

/** Weighted like the county reports: neighbour, family, marriage, land and debt disputes dominate. */
const CATEGORY_MIX = ['NEIGHBOR', 'NEIGHBOR', 'NEIGHBOR', 'NEIGHBOR', 'FAMILY', 'FAMILY', 'FAMILY', 'MARRIAGE', 'MARRIAGE', 'LAND', 'LAND', 'LAND', 'DEBT', 'DEBT',
  'INHERITANCE', 'LABOR', 'TRAFFIC', 'PROPERTY_MANAGEMENT', 'CONSUMER', 'CONTRACT', 'MEDICAL', 'CONSTRUCTION', 'OTHER'];

/** A bcrypt hash of a password nobody knows: seeded accounts cannot log in. */
const NO_LOGIN = '$2b$04$C6UzMDM.H6dfI/f/IKcEeO5K2YzQ0Yp8p5i1yXk9y3xXQn0mHj0Xa';

export interface SeedOptions {
  cases: number;
  /** The instant "now" for the generated history (three years back from it). */
  now?: Date;
  batch?: number;
  /**
   * Only the villages inside this division (a county code, say): its cases at the density a busy
   * county has, rather than the same number of cases spread thin over the province.
   */
  region?: string;
  log?: (line: string) => void;
}

export async function seedScale(sql: postgres.Sql, opts: SeedOptions): Promise<{ villages: number; seconds: number }> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const now = (opts.now ?? new Date()).toISOString();
  const batch = opts.batch ?? 100_000;
  const tag = Date.now().toString(36);
  // Loaded in bulk with triggers off (the statistics rollup is rebuilt in one pass at the end, not
  // row by row): needs a superuser, as the development and bench databases have.
  await sql.unsafe(`set session_replication_role = replica`);
  // Village committees and their mediators, one per village (idempotent per run tag).
  await sql.unsafe(`
    create temp table seed_villages as
      select row_number() over (order by code)::int as idx, code, substr(code, 1, 6) as county, substr(code, 1, 9) as township, name
      from regions where level = 'VILLAGE' and code like '${regionLike(opts.region)}'`);
  const villages = (await sql<{ n: number }[]>`select count(*)::int as n from seed_villages`)[0]!.n;
  await sql.unsafe(`
    insert into organizations (name, short_name, kind, channel, region_code, level, categories, created_at)
      select v.name || '人民调解委员会' || '${tag}', v.name || '·' || v.code || '${tag}', 'PEOPLES_MEDIATION_COMMITTEE', 'PEOPLES', v.code, 'VILLAGE', '{NEIGHBOR,FAMILY,MARRIAGE,LAND,DEBT,INHERITANCE,OTHER}', '${now}'
      from seed_villages v`);
  await sql.unsafe(`
    insert into users (phone, password_hash, name, role, organization_id, created_at, updated_at)
      select '19' || lpad((v.idx + ${(Date.now() % 90) * 100_000})::text, 9, '0'), '${NO_LOGIN}', '调解员' || v.idx, 'MEDIATOR', o.id, '${now}', '${now}'
      from seed_villages v join organizations o on o.region_code = v.code and o.name = v.name || '人民调解委员会' || '${tag}'`);
  await sql.unsafe(`
    insert into mediators (user_id, organization_id, channel, created_at)
      select u.id, u.organization_id, 'PEOPLES', '${now}' from users u join organizations o on o.id = u.organization_id where o.name like '%${tag}'`);
  await sql.unsafe(`
    create temp table seed_orgs as
      select v.idx, v.code, v.county, v.township, o.id as org_id, m.id as mediator_id, m.user_id
      from seed_villages v join organizations o on o.region_code = v.code and o.name like '%${tag}' join mediators m on m.organization_id = o.id;
    create index on seed_orgs (idx)`);
  log(`${villages} village committees with a mediator each`);

  const categories = `(array[${CATEGORY_MIX.map((c) => `'${c}'`).join(',')}]::dispute_category[])`;
  for (let from = 1; from <= opts.cases; from += batch) {
    const to = Math.min(opts.cases, from + batch - 1);
    // r1: status, r2: filing instant over three years, r3: level, r4: days to settle, r5: category.
    await sql.unsafe(`
      insert into cases (id, number, status, category, title, description, region_code, county_code, filed_by_user_id, filed_via, channel, level,
                         organization_id, mediator_id, due_at, risk_level, risk_rank, created_at, updated_at, accepted_at)
      select gen_random_uuid(), '（S${tag}）第' || s.g || '号', s.status::case_status, s.category, '规模数据纠纷' || s.g, '相邻两户因排水、地界等发生纠纷，请求调解。',
             o.code, o.county, o.user_id, 'PARTY', 'PEOPLES', s.level::case_level, o.org_id,
             case when s.status in ('SUBMITTED', 'AWAITING_RESPONDENT', 'REFUSED') then null else o.mediator_id end,
             case when s.status in ('SUBMITTED', 'AWAITING_RESPONDENT', 'ASSIGNING', 'MEDIATING') then s.created + interval '30 days' end,
             s.risk::risk_level, case s.risk when 'HIGH' then 2 when 'MEDIUM' then 1 else 0 end, s.created, s.created + interval '1 day', s.created + interval '1 day'
      from (
        select g, 1 + floor(random() * ${villages})::int as vidx,
               ${categories}[1 + floor(random() * ${CATEGORY_MIX.length})::int] as category,
               '${now}'::timestamptz - random() * interval '1095 days' as created,
               case when r1 < 0.40 then 'SETTLED' when r1 < 0.45 then 'CONFIRMED' when r1 < 0.58 then 'CLOSED' when r1 < 0.68 then 'FAILED'
                    when r1 < 0.73 then 'REFUSED' when r1 < 0.78 then 'WITHDRAWN' when r1 < 0.90 then 'MEDIATING' when r1 < 0.95 then 'ASSIGNING'
                    else 'AWAITING_RESPONDENT' end as status,
               case when r3 < 0.83 then 'VILLAGE' when r3 < 0.95 then 'TOWNSHIP' else 'COUNTY' end as level,
               case when r3 > 0.97 then 'HIGH' when r3 > 0.9 then 'MEDIUM' else 'LOW' end as risk
        from (select g, random() as r1, random() as r3 from generate_series(${from}, ${to}) g) r
      ) s join seed_orgs o on o.idx = s.vidx`);
    log(`cases ${to}`);
  }
  // Milestones, as the case update would have written them.
  await sql.unsafe(`
    insert into case_facts (case_id, refused_at, withdrawn_at, ended_at, settled_at, settled_level, failed_at, escalated, confirmed_at)
      select c.id,
        case when c.status = 'REFUSED' then c.created_at + interval '2 days' end,
        case when c.status = 'WITHDRAWN' then c.created_at + interval '3 days' end,
        case when c.status in ('SETTLED', 'CONFIRMED', 'CLOSED', 'FAILED') then c.created_at + (1 + (hashtext(c.number) & 31)) * interval '1 day' end,
        case when c.status in ('SETTLED', 'CONFIRMED', 'CLOSED') then c.created_at + (1 + (hashtext(c.number) & 31)) * interval '1 day' end,
        case when c.status in ('SETTLED', 'CONFIRMED', 'CLOSED') then c.level end,
        case when c.status = 'FAILED' then c.created_at + (1 + (hashtext(c.number) & 31)) * interval '1 day' end,
        c.level <> 'VILLAGE',
        case when c.status = 'CONFIRMED' then c.created_at + interval '40 days' end
      from cases c where c.number like '（S${tag}）%'`);
  log('case facts');
  await sql.unsafe(`
    insert into agreements (case_id, version, number, status, template_id, template_version, content, verification_code, effective_at, created_at)
      select c.id, 1, c.number || '-协', 'EFFECTIVE', 'peoples', 1, '{}'::jsonb, 'S${tag}' || md5(c.id::text), f.settled_at, f.settled_at
      from cases c join case_facts f on f.case_id = c.id where c.number like '（S${tag}）%' and f.settled_at is not null`);
  // Two in three agreements have had their follow-up done, as the 回访 rules ask.
  await sql.unsafe(`
    insert into follow_ups (case_id, agreement_id, kind, due_at, due_rule, status, method, relapsed, recorded_at, created_at)
      select a.case_id, a.id, 'AFTER_EFFECT', a.effective_at + interval '30 days', 'effective + 30 days',
        case when abs(hashtext(a.number)) % 3 <> 0 then 'DONE' else 'SCHEDULED' end::follow_up_status,
        case when abs(hashtext(a.number)) % 3 <> 0 then 'VISIT' end::follow_up_method,
        case when abs(hashtext(a.number)) % 3 <> 0 then false end,
        case when abs(hashtext(a.number)) % 3 <> 0 then a.effective_at + interval '30 days' end, a.effective_at
      from agreements a where a.verification_code like 'S${tag}%'`);
  log('agreements and follow-ups');
  // Rules in every county and a paid statement per township and month, paying the followed-up settled cases.
  // Statements and their lines are written month by month, a statement's lines together, as drafting does.
  const [admin] = await sql<{ id: string }[]>`select user_id::text as id from seed_orgs limit 1`;
  await sql.unsafe(`
    insert into subsidy_rule_sets (county_code, version, effective_from, amounts_fen, file_requirements, created_at, created_by)
      select distinct on (county) county, 1, date '2020-01-01', '{"SIMPLE":10000,"ORDINARY":20000,"COMPLEX":30000,"MAJOR":50000}'::jsonb, '{AGREEMENT,MINUTES,FOLLOW_UP}'::text[], '${now}', '${admin!.id}'::uuid
      from seed_orgs on conflict do nothing`);
  await sql.unsafe(`
    create temp table seed_paid as
      select c.id as case_id, c.number, substr(c.region_code, 1, 9) as township, c.county_code, to_char(f.settled_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
             m.user_id, (array['SIMPLE','ORDINARY','COMPLEX','MAJOR'])[1 + (hashtext(c.number) & 3)] as grade
      from cases c join case_facts f on f.case_id = c.id join mediators m on m.id = c.mediator_id
      where c.number like '（S${tag}）%' and f.settled_at is not null
        and exists (select 1 from follow_ups fu where fu.case_id = c.id and fu.status = 'DONE')
        and not exists (select 1 from subsidy_statement_lines l where l.case_id = c.id and l.kind = 'PAYMENT' and l.live)`);
  await sql.unsafe(`
    insert into subsidy_statements (region_code, county_code, month, status, total_fen, exclusions, created_at, created_by, updated_at)
      select township, county_code, month, 'PAID', 0, '[]'::jsonb, '${now}', '${admin!.id}'::uuid, '${now}'
      from seed_paid group by township, county_code, month
      order by month, township
      on conflict do nothing`);
  await sql.unsafe(`
    insert into subsidy_statement_lines (statement_id, case_id, case_number, person_user_id, person_name, person_role, kind, grade, rule_set_id, amount_fen)
      select s.id, p.case_id, p.number, p.user_id, u.name, 'MEDIATOR', 'PAYMENT', p.grade, r.id,
             ((r.amounts_fen ->> p.grade)::int)
      from seed_paid p join subsidy_statements s on s.region_code = p.township and s.month = p.month and s.status = 'PAID'
      join subsidy_rule_sets r on r.county_code = p.county_code and r.version = 1 join users u on u.id = p.user_id
      order by s.month, s.region_code, p.number`);
  await sql.unsafe(`
    update subsidy_statements s set total_fen = t.sum from (select statement_id, sum(amount_fen) as sum from subsidy_statement_lines group by statement_id) t
      where t.statement_id = s.id and s.total_fen = 0`);
  log('subsidy statements');
  // The statistics rollup (statistic_milestones, statistic_counts) from everything above, in SQL.
  await sql.unsafe('select statistic_rebuild()');
  await sql.unsafe(`set session_replication_role = origin`);
  log('statistics rollup');
  // Vacuumed, not only analyzed: index-only scans of the rollup need the visibility map set.
  await sql.unsafe('vacuum analyze statistic_milestones, statistic_counts');
  await sql.unsafe('analyze');
  return { villages, seconds: (performance.now() - started) / 1000 };
}

/** The LIKE pattern of the villages to seed: the province, or one division by its code's prefix. */
function regionLike(region: string | undefined): string {
  if (!region) return '53%';
  if (!/^53\d{4}(\d{3}(\d{3})?)?$/.test(region)) throw new Error('--region must be a Yunnan division code');
  const prefix = region.endsWith('0000') ? region.slice(0, 2) : region.length === 6 && region.endsWith('00') ? region.slice(0, 4) : region;
  return `${prefix}%`;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('seed:scale fills a PostgreSQL database: set DATABASE_URL');
    process.exit(2);
  }
  const cases = Number(argValue('--cases') ?? 10_000);
  if (!Number.isInteger(cases) || cases < 1) {
    console.error('--cases must be a positive whole number');
    process.exit(2);
  }
  const handle = await openDatabase({ databaseUrl: url, maxConnections: 2 });
  await handle.migrate();
  await loadReferenceData(handle.db, systemClock);
  await handle.close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const { villages, seconds } = await seedScale(sql, { cases, region: argValue('--region'), log: (l) => console.log(`  ${l}`) });
    console.log(`seeded ${cases} cases across ${villages} villages in ${seconds.toFixed(1)} s`);
  } finally {
    await sql.end();
  }
}
