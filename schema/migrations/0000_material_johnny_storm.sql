CREATE TYPE "public"."case_level" AS ENUM('VILLAGE', 'TOWNSHIP', 'COUNTY', 'PREFECTURE');--> statement-breakpoint
CREATE TYPE "public"."dispute_category" AS ENUM('FAMILY', 'MARRIAGE', 'NEIGHBOR', 'DEBT', 'INHERITANCE', 'LABOR', 'MEDICAL', 'LAND', 'TRAFFIC', 'PROPERTY_MANAGEMENT', 'CONSUMER', 'FINANCE', 'CONSTRUCTION', 'CONTRACT', 'ENVIRONMENT', 'TOURISM', 'INTELLECTUAL_PROPERTY', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."mediation_channel" AS ENUM('PEOPLES', 'ADMINISTRATIVE', 'JUDICIAL', 'LAWYER');--> statement-breakpoint
CREATE TYPE "public"."organization_kind" AS ENUM('PEOPLES_MEDIATION_COMMITTEE', 'INDUSTRY_MEDIATION_COMMITTEE', 'ADMINISTRATIVE_AGENCY', 'COURT', 'LAWYER_MEDIATION_STUDIO', 'COMPREHENSIVE_CENTER');--> statement-breakpoint
CREATE TYPE "public"."region_level" AS ENUM('PROVINCE', 'PREFECTURE', 'COUNTY', 'TOWNSHIP', 'VILLAGE');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('PARTY', 'GRID_WORKER', 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('SUBMITTED', 'AWAITING_RESPONDENT', 'REFUSED', 'ASSIGNING', 'MEDIATING', 'AGREEMENT_SIGNING', 'SETTLED', 'FAILED', 'CONFIRMATION_PENDING', 'CONFIRMED', 'CONFIRMATION_REJECTED', 'LITIGATION', 'WITHDRAWN', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."risk_level" AS ENUM('LOW', 'MEDIUM', 'HIGH');--> statement-breakpoint
CREATE TYPE "public"."evidence_visibility" AS ENUM('SHARED', 'MEDIATOR_ONLY');--> statement-breakpoint
CREATE TABLE "login_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"password_hash" text NOT NULL,
	"name" text NOT NULL,
	"role" "user_role" DEFAULT 'PARTY' NOT NULL,
	"organization_id" uuid,
	"id_number_enc" text,
	"id_number_digest" text,
	"id_number_masked" text,
	"gender" text,
	"birth_date" date,
	"ethnicity" text,
	"occupation" text,
	"address" text,
	"service_address" text,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"secret_prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"webhook_url" text,
	"webhook_secret_enc" text,
	"rate_limit_per_minute" integer DEFAULT 600 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mediators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"channel" "mediation_channel" NOT NULL,
	"categories" "dispute_category"[] DEFAULT '{}' NOT NULL,
	"languages" text[] DEFAULT '{zh}' NOT NULL,
	"capacity" integer DEFAULT 10 NOT NULL,
	"title" text,
	"profile" text,
	"charges_fee" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "organization_kind" NOT NULL,
	"channel" "mediation_channel" NOT NULL,
	"region_code" text NOT NULL,
	"level" "case_level" NOT NULL,
	"categories" "dispute_category"[] DEFAULT '{}' NOT NULL,
	"court_code" text,
	"credit_code" text,
	"inviting_court_id" uuid,
	"charges_fee" boolean DEFAULT false NOT NULL,
	"profile" text,
	"scope" text,
	"address" text,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_data" (
	"name" text PRIMARY KEY NOT NULL,
	"digest" text NOT NULL,
	"rows" integer NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_code" text,
	"level" "region_level" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"actor_role" text,
	"actor_name" text,
	"ip" text,
	"user_agent" text,
	"request_id" text,
	"before_status" text,
	"after_status" text,
	"data" jsonb NOT NULL,
	"prev_hash" text,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"mediator_id" uuid,
	"level" "case_level" NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"due_rule" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decision_reason" text
);
--> statement-breakpoint
CREATE TABLE "case_court_access" (
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_court_access_pkey" PRIMARY KEY("case_id","court_id")
);
--> statement-breakpoint
CREATE TABLE "case_number_counters" (
	"county_code" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "case_number_counters_pkey" PRIMARY KEY("county_code","year")
);
--> statement-breakpoint
CREATE TABLE "case_parties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"role" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"phone" text NOT NULL,
	"user_id" uuid,
	"id_number_enc" text,
	"id_number_masked" text,
	"credit_code" text,
	"address" text,
	"agents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"consent" text NOT NULL,
	"consent_at" timestamp with time zone,
	"consent_reason" text,
	"chosen_mediator_id" uuid,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"status" "case_status" NOT NULL,
	"category" "dispute_category" NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"claims" text,
	"amount" numeric(14, 2),
	"region_code" text NOT NULL,
	"county_code" text NOT NULL,
	"languages" text[] DEFAULT '{zh}' NOT NULL,
	"filed_by_user_id" uuid NOT NULL,
	"filed_via" text NOT NULL,
	"delegating_court_id" uuid,
	"channel" "mediation_channel",
	"level" "case_level",
	"organization_id" uuid,
	"mediator_id" uuid,
	"due_at" timestamp with time zone,
	"due_rule" text,
	"level_due_at" timestamp with time zone,
	"risk_level" "risk_level" DEFAULT 'LOW' NOT NULL,
	"risk_rank" integer DEFAULT 0 NOT NULL,
	"risk_signals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"routing" jsonb,
	"head_event_hash" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "diversion_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text,
	"category" "dispute_category" NOT NULL,
	"priority" integer NOT NULL,
	"channel" "mediation_channel" NOT NULL,
	"organization_kinds" text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "job_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"topic" text NOT NULL,
	"recipient" text NOT NULL,
	"payload" jsonb NOT NULL,
	"case_id" uuid,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	"last_status" integer
);
--> statement-breakpoint
CREATE TABLE "agreement_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"party_id" uuid,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text,
	"shown_sha256" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"number" text NOT NULL,
	"status" text NOT NULL,
	"template_id" text NOT NULL,
	"template_version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"draft_file_id" uuid,
	"draft_sha256" text,
	"final_file_id" uuid,
	"final_sha256" text,
	"verification_code" text NOT NULL,
	"effective_at" timestamp with time zone,
	"confirmation_deadline" timestamp with time zone,
	"supersedes_id" uuid,
	"lock_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "case_terminations" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"ground" text NOT NULL,
	"note" text,
	"failure_report" jsonb NOT NULL,
	"terminated_at" timestamp with time zone NOT NULL,
	"terminated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"storage_key" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content_type" text NOT NULL,
	"file_name" text NOT NULL,
	"case_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "mediation_extensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"days" integer NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"previous_due_at" timestamp with time zone,
	"new_due_at" timestamp with time zone,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" uuid,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mediation_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"mode" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"place" text,
	"meeting_url" text,
	"participant_party_ids" uuid[] NOT NULL,
	"status" text NOT NULL,
	"cancel_reason" text,
	"message_seq" integer DEFAULT 0 NOT NULL,
	"minutes_text" text DEFAULT '' NOT NULL,
	"minutes_version" integer DEFAULT 0 NOT NULL,
	"minutes_locked_at" timestamp with time zone,
	"minutes_sha256" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mediator_change_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"mediator_id" uuid,
	"reason" text NOT NULL,
	"outcome" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	"is_repeat" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_session_consents" (
	"case_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"form" text NOT NULL,
	"consented_at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	CONSTRAINT "party_session_consents_pkey" PRIMARY KEY("case_id","party_id","form")
);
--> statement-breakpoint
CREATE TABLE "session_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"author_user_id" uuid,
	"author_name" text,
	"author_role" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_minutes_confirmations" (
	"session_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	CONSTRAINT "session_minutes_confirmations_pkey" PRIMARY KEY("session_id","party_id","version")
);
--> statement-breakpoint
CREATE TABLE "session_minutes_versions" (
	"session_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"edited_at" timestamp with time zone NOT NULL,
	"edited_by" uuid,
	CONSTRAINT "session_minutes_versions_pkey" PRIMARY KEY("session_id","version")
);
--> statement-breakpoint
CREATE TABLE "undisputed_fact_confirmations" (
	"fact_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	CONSTRAINT "undisputed_fact_confirmations_pkey" PRIMARY KEY("fact_id","party_id")
);
--> statement-breakpoint
CREATE TABLE "undisputed_facts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"session_id" uuid,
	"text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"visibility" "evidence_visibility" NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_reason" text
);
--> statement-breakpoint
CREATE TABLE "confirmation_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"agreement_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"status" text NOT NULL,
	"applicants" jsonb NOT NULL,
	"materials" jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"acceptance_due_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"decision_due_at" timestamp with time zone,
	"statutory_cap_at" timestamp with time zone,
	"extended_at" timestamp with time zone,
	"extension_approved_by" text,
	"extension_reason" text,
	"not_accepted_ground" text,
	"rejection_ground" text,
	"ruling_number" text,
	"ruling_date" date,
	"decision_note" text,
	"decided_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"withdrawal_reason" text,
	"lock_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "confirmation_supplements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"items" text[] NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"resume_status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" uuid NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	"answered_late" boolean
);
--> statement-breakpoint
CREATE TABLE "enforcement_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"confirmation_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"note" text,
	"last_performance_date" date NOT NULL,
	"limitation_ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "litigation_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"status" text NOT NULL,
	"party_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"from_status" text NOT NULL,
	"failure_report" jsonb NOT NULL,
	"undisputed_facts" text[] NOT NULL,
	"note" text,
	"filing_due_at" timestamp with time zone NOT NULL,
	"docket_number" text,
	"acknowledged_at" timestamp with time zone,
	"lock_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_assignments" ADD CONSTRAINT "case_assignments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_assignments" ADD CONSTRAINT "case_assignments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_assignments" ADD CONSTRAINT "case_assignments_mediator_id_mediators_id_fk" FOREIGN KEY ("mediator_id") REFERENCES "public"."mediators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_court_access" ADD CONSTRAINT "case_court_access_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_court_access" ADD CONSTRAINT "case_court_access_court_id_organizations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_chosen_mediator_id_mediators_id_fk" FOREIGN KEY ("chosen_mediator_id") REFERENCES "public"."mediators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_filed_by_user_id_users_id_fk" FOREIGN KEY ("filed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_delegating_court_id_organizations_id_fk" FOREIGN KEY ("delegating_court_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_mediator_id_mediators_id_fk" FOREIGN KEY ("mediator_id") REFERENCES "public"."mediators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_draft_file_id_stored_files_id_fk" FOREIGN KEY ("draft_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_final_file_id_stored_files_id_fk" FOREIGN KEY ("final_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_terminations" ADD CONSTRAINT "case_terminations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_extensions" ADD CONSTRAINT "mediation_extensions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_sessions" ADD CONSTRAINT "mediation_sessions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediator_change_requests" ADD CONSTRAINT "mediator_change_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediator_change_requests" ADD CONSTRAINT "mediator_change_requests_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_session_consents" ADD CONSTRAINT "party_session_consents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_session_consents" ADD CONSTRAINT "party_session_consents_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_messages" ADD CONSTRAINT "session_messages_session_id_mediation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mediation_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_minutes_confirmations" ADD CONSTRAINT "session_minutes_confirmations_session_id_mediation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mediation_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_minutes_confirmations" ADD CONSTRAINT "session_minutes_confirmations_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_minutes_versions" ADD CONSTRAINT "session_minutes_versions_session_id_mediation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mediation_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "undisputed_fact_confirmations" ADD CONSTRAINT "undisputed_fact_confirmations_fact_id_undisputed_facts_id_fk" FOREIGN KEY ("fact_id") REFERENCES "public"."undisputed_facts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "undisputed_fact_confirmations" ADD CONSTRAINT "undisputed_fact_confirmations_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "undisputed_facts" ADD CONSTRAINT "undisputed_facts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "undisputed_facts" ADD CONSTRAINT "undisputed_facts_session_id_mediation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mediation_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmation_applications" ADD CONSTRAINT "confirmation_applications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmation_applications" ADD CONSTRAINT "confirmation_applications_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmation_applications" ADD CONSTRAINT "confirmation_applications_court_id_organizations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmation_supplements" ADD CONSTRAINT "confirmation_supplements_application_id_confirmation_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."confirmation_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmation_supplements" ADD CONSTRAINT "confirmation_supplements_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_applications" ADD CONSTRAINT "enforcement_applications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_applications" ADD CONSTRAINT "enforcement_applications_confirmation_id_confirmation_applications_id_fk" FOREIGN KEY ("confirmation_id") REFERENCES "public"."confirmation_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_applications" ADD CONSTRAINT "enforcement_applications_court_id_organizations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_applications" ADD CONSTRAINT "enforcement_applications_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_applications" ADD CONSTRAINT "enforcement_applications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "litigation_transfers" ADD CONSTRAINT "litigation_transfers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "litigation_transfers" ADD CONSTRAINT "litigation_transfers_court_id_organizations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "litigation_transfers" ADD CONSTRAINT "litigation_transfers_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "litigation_transfers" ADD CONSTRAINT "litigation_transfers_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_key" ON "users" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "users_organization_idx" ON "users" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_id_number_digest_key" ON "users" USING btree ("id_number_digest") WHERE "users"."id_number_digest" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_secret_hash_key" ON "api_clients" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_clients_org_idx" ON "api_clients" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mediators_user_key" ON "mediators" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mediators_organization_idx" ON "mediators" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "organizations_region_idx" ON "organizations" USING btree ("region_code");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_court_code_key" ON "organizations" USING btree ("court_code") WHERE "organizations"."court_code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_name_region_key" ON "organizations" USING btree ("name","region_code");--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE UNIQUE INDEX "events_subject_seq_key" ON "events" USING btree ("subject_type","subject_id","seq");--> statement-breakpoint
CREATE INDEX "events_at_idx" ON "events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "case_assignments_case_idx" ON "case_assignments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_assignments_org_idx" ON "case_assignments" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "case_parties_case_idx" ON "case_parties" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_parties_phone_idx" ON "case_parties" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "case_parties_user_idx" ON "case_parties" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_number_key" ON "cases" USING btree ("number");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status");--> statement-breakpoint
CREATE INDEX "cases_queue_idx" ON "cases" USING btree ("risk_rank","created_at","id");--> statement-breakpoint
CREATE INDEX "cases_organization_idx" ON "cases" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "cases_mediator_idx" ON "cases" USING btree ("mediator_id");--> statement-breakpoint
CREATE INDEX "cases_county_idx" ON "cases" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "cases_due_idx" ON "cases" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "diversion_rules_lookup_idx" ON "diversion_rules" USING btree ("category","region_code");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("status","available_at");--> statement-breakpoint
CREATE INDEX "outbox_case_idx" ON "outbox" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_signatures_party_key" ON "agreement_signatures" USING btree ("agreement_id","user_id","role");--> statement-breakpoint
CREATE INDEX "agreement_signatures_agreement_idx" ON "agreement_signatures" USING btree ("agreement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agreements_case_version_key" ON "agreements" USING btree ("case_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "agreements_verification_code_key" ON "agreements" USING btree ("verification_code");--> statement-breakpoint
CREATE INDEX "agreements_case_idx" ON "agreements" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "stored_files_case_idx" ON "stored_files" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "mediation_extensions_case_idx" ON "mediation_extensions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "mediation_sessions_case_idx" ON "mediation_sessions" USING btree ("case_id","starts_at");--> statement-breakpoint
CREATE INDEX "mediator_change_requests_case_idx" ON "mediator_change_requests" USING btree ("case_id","party_id");--> statement-breakpoint
CREATE UNIQUE INDEX "session_messages_session_seq_key" ON "session_messages" USING btree ("session_id","seq");--> statement-breakpoint
CREATE INDEX "undisputed_facts_case_idx" ON "undisputed_facts" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "evidence_case_idx" ON "evidence" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "evidence_file_idx" ON "evidence" USING btree ("file_id");--> statement-breakpoint
CREATE UNIQUE INDEX "confirmation_applications_open_key" ON "confirmation_applications" USING btree ("agreement_id") WHERE "confirmation_applications"."status" in ('AWAITING_CO_APPLICANT', 'SUBMITTED', 'ACCEPTED', 'SUPPLEMENT_REQUESTED');--> statement-breakpoint
CREATE UNIQUE INDEX "confirmation_applications_ruling_key" ON "confirmation_applications" USING btree ("court_id","ruling_number") WHERE "confirmation_applications"."ruling_number" is not null;--> statement-breakpoint
CREATE INDEX "confirmation_applications_case_idx" ON "confirmation_applications" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "confirmation_applications_court_idx" ON "confirmation_applications" USING btree ("court_id","status","submitted_at");--> statement-breakpoint
CREATE INDEX "confirmation_supplements_application_idx" ON "confirmation_supplements" USING btree ("application_id","requested_at");--> statement-breakpoint
CREATE INDEX "enforcement_applications_case_idx" ON "enforcement_applications" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "enforcement_applications_court_idx" ON "enforcement_applications" USING btree ("court_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "litigation_transfers_case_key" ON "litigation_transfers" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "litigation_transfers_docket_key" ON "litigation_transfers" USING btree ("court_id","docket_number") WHERE "litigation_transfers"."docket_number" is not null;--> statement-breakpoint
CREATE INDEX "litigation_transfers_court_idx" ON "litigation_transfers" USING btree ("court_id","status","created_at");