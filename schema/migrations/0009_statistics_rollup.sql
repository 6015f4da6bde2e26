-- The statistics rollup, kept by triggers in the transaction of each change (no statement from the
-- application): every change to a case, its milestones (case_facts), follow-ups, term results or
-- ratings rewrites that case's rows in statistic_milestones (only the rows that differ), and a
-- deferred trigger on statistic_milestones moves the counts in statistic_counts at commit.

-- Every counted milestone of every case, with the case's grouping columns as they are now.
-- `due` is the deadline of an open case ("overdue now" counts those before the instant asked).
CREATE VIEW "statistic_milestone_source" AS
SELECT c.id AS case_id, e.m AS milestone, ''::text AS ref, e.at, e.v AS value,
       c.county_code, c.region_code, c.category::text AS category, c.level::text AS level, c.channel::text AS channel,
       c.organization_id, c.mediator_id
FROM cases c
LEFT JOIN case_facts f ON f.case_id = c.id
CROSS JOIN LATERAL (VALUES
  ('filed', c.created_at, 0::numeric),
  ('refused', f.refused_at, 0), ('withdrawn', f.withdrawn_at, 0), ('ended', f.ended_at, 0),
  ('escalated', CASE WHEN f.escalated THEN f.ended_at END, 0),
  ('settled', f.settled_at, extract(epoch from (f.settled_at - c.created_at)) / 86400.0),
  ('settled_village', CASE WHEN f.settled_level = 'VILLAGE' THEN f.settled_at END, 0),
  ('failed', f.failed_at, 0), ('confirmed', f.confirmed_at, 0), ('rejected', f.confirmation_rejected_at, 0),
  ('due', CASE WHEN c.status IN ('SUBMITTED', 'AWAITING_RESPONDENT', 'ASSIGNING', 'MEDIATING', 'AGREEMENT_SIGNING') THEN c.due_at END, 0)
) AS e(m, at, v)
WHERE e.at IS NOT NULL
UNION ALL
SELECT fu.case_id, 'follow_up', fu.id::text, fu.recorded_at, 0::numeric,
       c.county_code, c.region_code, c.category::text, c.level::text, c.channel::text, c.organization_id, c.mediator_id
FROM follow_ups fu JOIN cases c ON c.id = fu.case_id
WHERE fu.status = 'DONE' AND fu.recorded_at IS NOT NULL
UNION ALL
SELECT r.case_id, 'perf_' || r.performance::text, r.id::text, r.recorded_at, 0::numeric,
       c.county_code, c.region_code, c.category::text, c.level::text, c.channel::text, c.organization_id, c.mediator_id
FROM follow_up_term_results r JOIN cases c ON c.id = r.case_id
WHERE r.performance <> 'NOT_YET_DUE'
UNION ALL
SELECT mr.case_id, 'rating', mr.id::text, mr.created_at, mr.score::numeric,
       c.county_code, c.region_code, c.category::text, c.level::text, c.channel::text, c.organization_id, c.mediator_id
FROM mediation_ratings mr JOIN cases c ON c.id = mr.case_id;
--> statement-breakpoint

-- Rewrites one case's milestone rows: deletes those that changed or went, inserts those that are new
-- (unchanged rows are left alone, so their counts do not move).
CREATE FUNCTION "statistic_refresh_case"(p uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM statistic_milestones s
  WHERE s.case_id = p AND NOT EXISTS (
    SELECT 1 FROM statistic_milestone_source n
    WHERE n.case_id = p AND n.milestone = s.milestone AND n.ref = s.ref
      AND (n.at, n.value, n.county_code, n.region_code, n.category, n.level, n.channel, n.organization_id, n.mediator_id)
          IS NOT DISTINCT FROM (s.at, s.value, s.county_code, s.region_code, s.category, s.level, s.channel, s.organization_id, s.mediator_id));
  INSERT INTO statistic_milestones (case_id, milestone, ref, at, value, county_code, region_code, category, level, channel, organization_id, mediator_id)
  SELECT n.case_id, n.milestone, n.ref, n.at, n.value, n.county_code, n.region_code, n.category, n.level, n.channel, n.organization_id, n.mediator_id
  FROM statistic_milestone_source n
  WHERE n.case_id = p AND NOT EXISTS (SELECT 1 FROM statistic_milestones s WHERE s.case_id = p AND s.milestone = n.milestone AND s.ref = n.ref)
  ORDER BY n.milestone, n.ref;
END $$;
--> statement-breakpoint

CREATE FUNCTION "statistic_case_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM statistic_refresh_case(NEW.id);
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE FUNCTION "statistic_case_row_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Wait for a concurrent change of the case itself (a transfer, an escalation) to commit, so the
  -- refresh below reads the case's current county, level, organisation and mediator, not the old.
  PERFORM 1 FROM cases WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END FOR SHARE;
  IF TG_OP = 'DELETE' THEN
    PERFORM statistic_refresh_case(OLD.case_id);
  ELSE
    PERFORM statistic_refresh_case(NEW.case_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- One milestone row in or out: its cell at each grain moves by one. Deferred to commit, so the
-- counter rows (shared by every case of a county or prefecture and month) are locked only while
-- the transaction commits, not for its whole length.
CREATE FUNCTION "statistic_count_milestone"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r statistic_milestones;
  d integer;
  mon text;
BEGIN
  -- Commits move the shared counter rows one transaction at a time: two commits taking the same
  -- rows in opposite orders would otherwise deadlock. Held from the first count to the commit; the
  -- two-key form keeps it apart from the single-key locks of the migrations and phone codes.
  PERFORM pg_advisory_xact_lock(2026, 1130);
  IF TG_OP = 'INSERT' THEN r := NEW; d := 1; ELSE r := OLD; d := -1; END IF;
  mon := to_char(r.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM');
  INSERT INTO statistic_counts AS k (grain, area, month, category, level, channel, milestone, value, n) VALUES
    (0, r.county_code, mon, r.category, coalesce(r.level, ''), coalesce(r.channel, ''), r.milestone, r.value, d),
    (1, r.county_code, mon, '', '', '', r.milestone, r.value, d),
    (2, substr(r.county_code, 1, 4) || '00', mon, '', '', '', r.milestone, r.value, d)
  ON CONFLICT (grain, area, month, category, level, channel, milestone, value) DO UPDATE SET n = k.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- Fills both tables from the cases (used once below, and by seed:scale after loading in bulk with
-- triggers off). The counts trigger must not be firing while it runs.
CREATE FUNCTION "statistic_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM statistic_counts;
  DELETE FROM statistic_milestones;
  INSERT INTO statistic_milestones (case_id, milestone, ref, at, value, county_code, region_code, category, level, channel, organization_id, mediator_id)
  SELECT case_id, milestone, ref, at, value, county_code, region_code, category, level, channel, organization_id, mediator_id
  FROM statistic_milestone_source ORDER BY county_code, at;
  INSERT INTO statistic_counts (grain, area, month, category, level, channel, milestone, value, n)
  SELECT 0, county_code, to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), category, coalesce(level, ''), coalesce(channel, ''), milestone, value, count(*)
  FROM statistic_milestones GROUP BY 2, 3, 4, 5, 6, 7, 8
  UNION ALL
  SELECT 1, county_code, to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), '', '', '', milestone, value, count(*)
  FROM statistic_milestones GROUP BY 2, 3, 7, 8
  UNION ALL
  SELECT 2, substr(county_code, 1, 4) || '00', to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), '', '', '', milestone, value, count(*)
  FROM statistic_milestones GROUP BY 2, 3, 7, 8
  ORDER BY 1, 2, 3;
END $$;
--> statement-breakpoint

SELECT statistic_rebuild();
--> statement-breakpoint
ANALYZE statistic_milestones;
--> statement-breakpoint
ANALYZE statistic_counts;
--> statement-breakpoint

CREATE TRIGGER "statistic_cases_insert" AFTER INSERT ON "cases"
  FOR EACH ROW EXECUTE FUNCTION statistic_case_changed();
--> statement-breakpoint
CREATE TRIGGER "statistic_cases_update" AFTER UPDATE ON "cases"
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR OLD.county_code IS DISTINCT FROM NEW.county_code OR OLD.region_code IS DISTINCT FROM NEW.region_code
    OR OLD.category IS DISTINCT FROM NEW.category OR OLD.level IS DISTINCT FROM NEW.level OR OLD.channel IS DISTINCT FROM NEW.channel
    OR OLD.organization_id IS DISTINCT FROM NEW.organization_id OR OLD.mediator_id IS DISTINCT FROM NEW.mediator_id)
  EXECUTE FUNCTION statistic_case_changed();
--> statement-breakpoint
CREATE TRIGGER "statistic_case_facts_change" AFTER INSERT OR UPDATE ON "case_facts"
  FOR EACH ROW EXECUTE FUNCTION statistic_case_row_changed();
--> statement-breakpoint
CREATE TRIGGER "statistic_follow_ups_change" AFTER INSERT OR UPDATE OR DELETE ON "follow_ups"
  FOR EACH ROW EXECUTE FUNCTION statistic_case_row_changed();
--> statement-breakpoint
CREATE TRIGGER "statistic_term_results_change" AFTER INSERT OR UPDATE OR DELETE ON "follow_up_term_results"
  FOR EACH ROW EXECUTE FUNCTION statistic_case_row_changed();
--> statement-breakpoint
CREATE TRIGGER "statistic_ratings_change" AFTER INSERT OR UPDATE OR DELETE ON "mediation_ratings"
  FOR EACH ROW EXECUTE FUNCTION statistic_case_row_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "statistic_milestones_count" AFTER INSERT OR DELETE ON "statistic_milestones"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION statistic_count_milestone();
