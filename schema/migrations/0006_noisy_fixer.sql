CREATE TABLE "case_subsidy_grades" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"proposed_grade" text NOT NULL,
	"proposed_reason" text NOT NULL,
	"proposed_facts" jsonb NOT NULL,
	"proposed_by" uuid NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"grade" text NOT NULL,
	"regrade_reason" text,
	"regraded_by" uuid,
	"regraded_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subsidy_rule_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"amounts_fen" jsonb NOT NULL,
	"file_requirements" text[] NOT NULL,
	"source" text,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subsidy_spot_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"method" text NOT NULL,
	"party_reached" text NOT NULL,
	"outcome" text NOT NULL,
	"note" text NOT NULL,
	"checked_by" uuid NOT NULL,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subsidy_statement_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"case_number" text NOT NULL,
	"person_user_id" uuid NOT NULL,
	"person_name" text NOT NULL,
	"person_role" text NOT NULL,
	"kind" text NOT NULL,
	"grade" text NOT NULL,
	"rule_set_id" uuid NOT NULL,
	"amount_fen" integer NOT NULL,
	"reverses_line_id" uuid,
	"live" boolean DEFAULT true NOT NULL,
	CONSTRAINT "subsidy_statement_lines_sign_check" CHECK (("subsidy_statement_lines"."kind" = 'PAYMENT' and "subsidy_statement_lines"."amount_fen" > 0) or ("subsidy_statement_lines"."kind" = 'CLAWBACK' and "subsidy_statement_lines"."amount_fen" < 0))
);
--> statement-breakpoint
CREATE TABLE "subsidy_statement_steps" (
	"statement_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_user_id" uuid NOT NULL,
	"actor_name" text NOT NULL,
	"actor_organization" text,
	"note" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "subsidy_statement_steps_pkey" PRIMARY KEY("statement_id","seq")
);
--> statement-breakpoint
CREATE TABLE "subsidy_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"county_code" text NOT NULL,
	"month" text NOT NULL,
	"status" text NOT NULL,
	"supersedes_id" uuid,
	"correction_reason" text,
	"total_fen" bigint NOT NULL,
	"exclusions" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_subsidy_grades" ADD CONSTRAINT "case_subsidy_grades_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_subsidy_grades" ADD CONSTRAINT "case_subsidy_grades_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_subsidy_grades" ADD CONSTRAINT "case_subsidy_grades_regraded_by_users_id_fk" FOREIGN KEY ("regraded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_rule_sets" ADD CONSTRAINT "subsidy_rule_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_spot_checks" ADD CONSTRAINT "subsidy_spot_checks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_spot_checks" ADD CONSTRAINT "subsidy_spot_checks_checked_by_users_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statement_lines" ADD CONSTRAINT "subsidy_statement_lines_statement_id_subsidy_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."subsidy_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statement_lines" ADD CONSTRAINT "subsidy_statement_lines_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statement_lines" ADD CONSTRAINT "subsidy_statement_lines_person_user_id_users_id_fk" FOREIGN KEY ("person_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statement_lines" ADD CONSTRAINT "subsidy_statement_lines_rule_set_id_subsidy_rule_sets_id_fk" FOREIGN KEY ("rule_set_id") REFERENCES "public"."subsidy_rule_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statement_steps" ADD CONSTRAINT "subsidy_statement_steps_statement_id_subsidy_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."subsidy_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statement_steps" ADD CONSTRAINT "subsidy_statement_steps_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statements" ADD CONSTRAINT "subsidy_statements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_rule_sets_version_key" ON "subsidy_rule_sets" USING btree ("county_code","version");--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_rule_sets_effective_key" ON "subsidy_rule_sets" USING btree ("county_code","effective_from");--> statement-breakpoint
CREATE INDEX "subsidy_spot_checks_case_idx" ON "subsidy_spot_checks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "subsidy_statement_lines_statement_idx" ON "subsidy_statement_lines" USING btree ("statement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_statement_lines_payment_key" ON "subsidy_statement_lines" USING btree ("case_id") WHERE "subsidy_statement_lines"."kind" = 'PAYMENT' and "subsidy_statement_lines"."live";--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_statement_lines_clawback_key" ON "subsidy_statement_lines" USING btree ("case_id") WHERE "subsidy_statement_lines"."kind" = 'CLAWBACK' and "subsidy_statement_lines"."live";--> statement-breakpoint
CREATE UNIQUE INDEX "subsidy_statements_live_key" ON "subsidy_statements" USING btree ("region_code","month") WHERE "subsidy_statements"."status" <> 'SUPERSEDED';--> statement-breakpoint
CREATE INDEX "subsidy_statements_county_idx" ON "subsidy_statements" USING btree ("county_code","month");--> statement-breakpoint
CREATE INDEX "cases_mediator_queue_idx" ON "cases" USING btree ("mediator_id","risk_rank","created_at","id");--> statement-breakpoint
CREATE INDEX "cases_county_status_idx" ON "cases" USING btree ("county_code","status","risk_rank","created_at","id");