CREATE TYPE "public"."lead_source" AS ENUM('VISIT', 'HOTLINE', 'POLICE_REFERRAL', 'PETITION', 'SELF_REPORT', 'SCHOOL_OR_HOSPITAL', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."lead_status" AS ENUM('OPEN', 'RESOLVED_ON_SPOT', 'CONVERTED', 'REFERRED', 'UNDER_WATCH');--> statement-breakpoint
CREATE TYPE "public"."screening_report_status" AS ENUM('SUBMITTED', 'OVERDUE');--> statement-breakpoint
CREATE TYPE "public"."follow_up_kind" AS ENUM('TERM_DUE', 'AFTER_EFFECT', 'ADDED');--> statement-breakpoint
CREATE TYPE "public"."follow_up_method" AS ENUM('VISIT', 'PHONE', 'VIDEO', 'MESSAGE');--> statement-breakpoint
CREATE TYPE "public"."follow_up_status" AS ENUM('SCHEDULED', 'DONE', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."rating_source" AS ENUM('PARTY', 'FOLLOW_UP');--> statement-breakpoint
CREATE TYPE "public"."term_performance" AS ENUM('PERFORMED', 'PARTLY_PERFORMED', 'NOT_PERFORMED', 'NOT_YET_DUE');--> statement-breakpoint
CREATE TYPE "public"."supervision_order_status" AS ENUM('OPEN', 'ANSWERED', 'ESCALATED');--> statement-breakpoint
CREATE TYPE "public"."supervision_proposal_reason" AS ENUM('CASE_OVERDUE', 'HIGH_RISK_OPEN');--> statement-breakpoint
CREATE TYPE "public"."supervision_proposal_status" AS ENUM('PROPOSED', 'ISSUED', 'DISMISSED');--> statement-breakpoint
CREATE TYPE "public"."supervision_subject" AS ENUM('CASE', 'LEAD');--> statement-breakpoint
CREATE TABLE "dispute_leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"township_code" text,
	"county_code" text NOT NULL,
	"address" text,
	"category" "dispute_category" NOT NULL,
	"people" jsonb NOT NULL,
	"description" text NOT NULL,
	"source" "lead_source" NOT NULL,
	"risk_level" "risk_level" DEFAULT 'LOW' NOT NULL,
	"risk_rank" integer DEFAULT 0 NOT NULL,
	"risk_signals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"found_on" date NOT NULL,
	"status" "lead_status" DEFAULT 'OPEN' NOT NULL,
	"resolution" text,
	"case_id" uuid,
	"referred_to" text,
	"referral_reason" text,
	"watch_person_name" text,
	"watch_user_id" uuid,
	"watch_review_date" date,
	"watch_measures" text,
	"outcome_at" timestamp with time zone,
	"outcome_by" uuid,
	"report_id" uuid,
	"recorded_by" uuid NOT NULL,
	"organization_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screening_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"township_code" text NOT NULL,
	"county_code" text NOT NULL,
	"week" text NOT NULL,
	"week_start" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" "screening_report_status" NOT NULL,
	"nothing_found" boolean DEFAULT false NOT NULL,
	"lead_count" integer DEFAULT 0 NOT NULL,
	"note" text,
	"late" boolean DEFAULT false NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"overdue_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up_term_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"follow_up_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"agreement_id" uuid NOT NULL,
	"term_no" integer NOT NULL,
	"performance" "term_performance" NOT NULL,
	"amount_performed" numeric(14, 2),
	"note" text,
	"routes_offered" text[],
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"agreement_id" uuid NOT NULL,
	"kind" "follow_up_kind" NOT NULL,
	"term_no" integer,
	"due_at" timestamp with time zone NOT NULL,
	"due_rule" text NOT NULL,
	"assignee_user_id" uuid,
	"status" "follow_up_status" DEFAULT 'SCHEDULED' NOT NULL,
	"method" "follow_up_method",
	"relapsed" boolean,
	"relapse_case_id" uuid,
	"note" text,
	"recorded_at" timestamp with time zone,
	"recorded_by" uuid,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mediation_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"source" "rating_source" NOT NULL,
	"follow_up_id" uuid,
	"score" integer NOT NULL,
	"comment" text,
	"mediator_id" uuid,
	"organization_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	CONSTRAINT "mediation_ratings_score_check" CHECK ("mediation_ratings"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "supervision_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_type" "supervision_subject" NOT NULL,
	"case_id" uuid,
	"lead_id" uuid,
	"region_code" text NOT NULL,
	"county_code" text NOT NULL,
	"issuing_organization_id" uuid,
	"issued_by" uuid,
	"receiving_organization_id" uuid NOT NULL,
	"receiving_level" "case_level" NOT NULL,
	"reason" text NOT NULL,
	"required_action" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" "supervision_order_status" DEFAULT 'OPEN' NOT NULL,
	"measures" text,
	"result" text,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	"escalated_at" timestamp with time zone,
	"escalated_from_id" uuid,
	"escalated_to_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_type" "supervision_subject" NOT NULL,
	"case_id" uuid,
	"lead_id" uuid,
	"supervising_organization_id" uuid NOT NULL,
	"reason" "supervision_proposal_reason" NOT NULL,
	"detail" text NOT NULL,
	"status" "supervision_proposal_status" DEFAULT 'PROPOSED' NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"order_id" uuid
);
--> statement-breakpoint
ALTER TABLE "dispute_leads" ADD CONSTRAINT "dispute_leads_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_leads" ADD CONSTRAINT "dispute_leads_watch_user_id_users_id_fk" FOREIGN KEY ("watch_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_leads" ADD CONSTRAINT "dispute_leads_outcome_by_users_id_fk" FOREIGN KEY ("outcome_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_leads" ADD CONSTRAINT "dispute_leads_report_id_screening_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."screening_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_leads" ADD CONSTRAINT "dispute_leads_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_leads" ADD CONSTRAINT "dispute_leads_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screening_reports" ADD CONSTRAINT "screening_reports_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_term_results" ADD CONSTRAINT "follow_up_term_results_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_term_results" ADD CONSTRAINT "follow_up_term_results_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_term_results" ADD CONSTRAINT "follow_up_term_results_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_relapse_case_id_cases_id_fk" FOREIGN KEY ("relapse_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_ratings" ADD CONSTRAINT "mediation_ratings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_ratings" ADD CONSTRAINT "mediation_ratings_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_ratings" ADD CONSTRAINT "mediation_ratings_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_ratings" ADD CONSTRAINT "mediation_ratings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_lead_id_dispute_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."dispute_leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_issuing_organization_id_organizations_id_fk" FOREIGN KEY ("issuing_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_receiving_organization_id_organizations_id_fk" FOREIGN KEY ("receiving_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_proposals" ADD CONSTRAINT "supervision_proposals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_proposals" ADD CONSTRAINT "supervision_proposals_lead_id_dispute_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."dispute_leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_proposals" ADD CONSTRAINT "supervision_proposals_supervising_organization_id_organizations_id_fk" FOREIGN KEY ("supervising_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_proposals" ADD CONSTRAINT "supervision_proposals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_proposals" ADD CONSTRAINT "supervision_proposals_order_id_supervision_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."supervision_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dispute_leads_region_idx" ON "dispute_leads" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "dispute_leads_township_idx" ON "dispute_leads" USING btree ("township_code","found_on");--> statement-breakpoint
CREATE INDEX "dispute_leads_county_idx" ON "dispute_leads" USING btree ("county_code","found_on");--> statement-breakpoint
CREATE INDEX "dispute_leads_open_risk_idx" ON "dispute_leads" USING btree ("status","risk_rank") WHERE "dispute_leads"."status" in ('OPEN', 'UNDER_WATCH');--> statement-breakpoint
CREATE UNIQUE INDEX "dispute_leads_case_key" ON "dispute_leads" USING btree ("case_id") WHERE "dispute_leads"."case_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "screening_reports_region_week_key" ON "screening_reports" USING btree ("region_code","week");--> statement-breakpoint
CREATE INDEX "screening_reports_township_idx" ON "screening_reports" USING btree ("township_code","week_start");--> statement-breakpoint
CREATE INDEX "screening_reports_county_idx" ON "screening_reports" USING btree ("county_code","week_start");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_term_results_key" ON "follow_up_term_results" USING btree ("follow_up_id","term_no");--> statement-breakpoint
CREATE INDEX "follow_up_term_results_agreement_idx" ON "follow_up_term_results" USING btree ("agreement_id","term_no");--> statement-breakpoint
CREATE INDEX "follow_ups_case_idx" ON "follow_ups" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "follow_ups_due_idx" ON "follow_ups" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "follow_ups_assignee_idx" ON "follow_ups" USING btree ("assignee_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_scheduled_key" ON "follow_ups" USING btree ("agreement_id","kind","term_no") WHERE "follow_ups"."kind" <> 'ADDED';--> statement-breakpoint
CREATE UNIQUE INDEX "mediation_ratings_party_key" ON "mediation_ratings" USING btree ("case_id","party_id") WHERE "mediation_ratings"."source" = 'PARTY';--> statement-breakpoint
CREATE UNIQUE INDEX "mediation_ratings_follow_up_key" ON "mediation_ratings" USING btree ("follow_up_id","party_id") WHERE "mediation_ratings"."follow_up_id" is not null;--> statement-breakpoint
CREATE INDEX "mediation_ratings_case_idx" ON "mediation_ratings" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "mediation_ratings_mediator_idx" ON "mediation_ratings" USING btree ("mediator_id");--> statement-breakpoint
CREATE INDEX "supervision_orders_case_idx" ON "supervision_orders" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "supervision_orders_lead_idx" ON "supervision_orders" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "supervision_orders_receiving_idx" ON "supervision_orders" USING btree ("receiving_organization_id","status");--> statement-breakpoint
CREATE INDEX "supervision_orders_issuing_idx" ON "supervision_orders" USING btree ("issuing_organization_id");--> statement-breakpoint
CREATE INDEX "supervision_orders_due_idx" ON "supervision_orders" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "supervision_proposals_queue_idx" ON "supervision_proposals" USING btree ("supervising_organization_id","status","proposed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "supervision_proposals_case_key" ON "supervision_proposals" USING btree ("supervising_organization_id","case_id","reason") WHERE "supervision_proposals"."case_id" is not null and "supervision_proposals"."status" = 'PROPOSED';--> statement-breakpoint
CREATE UNIQUE INDEX "supervision_proposals_lead_key" ON "supervision_proposals" USING btree ("supervising_organization_id","lead_id","reason") WHERE "supervision_proposals"."lead_id" is not null and "supervision_proposals"."status" = 'PROPOSED';