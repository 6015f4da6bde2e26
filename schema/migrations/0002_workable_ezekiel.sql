CREATE TABLE "case_facts" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"refused_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"settled_level" "case_level",
	"failed_at" timestamp with time zone,
	"escalated" boolean DEFAULT false NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmation_rejected_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "case_subsidy_grades" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"proposed_grade" text NOT NULL,
	"proposed_reasons" text NOT NULL,
	"proposed_by" uuid NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"grade" text NOT NULL,
	"regrade_reason" text,
	"regraded_by" uuid,
	"regraded_at" timestamp with time zone,
	"unsound_at" timestamp with time zone,
	"unsound_reason" text,
	"unsound_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subsidy_rule_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"amounts" jsonb NOT NULL,
	"file_requirements" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "subsidy_statement_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"person_user_id" uuid NOT NULL,
	"person_name" text NOT NULL,
	"kind" text NOT NULL,
	"grade" text NOT NULL,
	"rule_set_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subsidy_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"county_code" text NOT NULL,
	"month" text NOT NULL,
	"status" text NOT NULL,
	"supersedes_id" uuid,
	"total" numeric(14, 2) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" uuid,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"paid_at" timestamp with time zone,
	"paid_by" uuid,
	"superseded_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "case_facts" ADD CONSTRAINT "case_facts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_subsidy_grades" ADD CONSTRAINT "case_subsidy_grades_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_rule_sets" ADD CONSTRAINT "subsidy_rule_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statement_lines" ADD CONSTRAINT "subsidy_statement_lines_statement_id_subsidy_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."subsidy_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statement_lines" ADD CONSTRAINT "subsidy_statement_lines_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_facts_settled_idx" ON "case_facts" USING btree ("settled_at");--> statement-breakpoint
CREATE INDEX "case_facts_ended_idx" ON "case_facts" USING btree ("ended_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_rule_sets_version_key" ON "subsidy_rule_sets" USING btree ("county_code","version");--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_rule_sets_effective_key" ON "subsidy_rule_sets" USING btree ("county_code","effective_from");--> statement-breakpoint
CREATE INDEX "subsidy_statement_lines_statement_idx" ON "subsidy_statement_lines" USING btree ("statement_id");--> statement-breakpoint
CREATE INDEX "subsidy_statement_lines_case_idx" ON "subsidy_statement_lines" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_statements_live_key" ON "subsidy_statements" USING btree ("region_code","month") WHERE "subsidy_statements"."status" <> 'SUPERSEDED';--> statement-breakpoint
CREATE INDEX "subsidy_statements_county_idx" ON "subsidy_statements" USING btree ("county_code","month");