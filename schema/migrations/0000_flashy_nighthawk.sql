CREATE TYPE "public"."case_level" AS ENUM('VILLAGE', 'TOWNSHIP', 'COUNTY', 'PREFECTURE');--> statement-breakpoint
CREATE TYPE "public"."dispute_category" AS ENUM('FAMILY', 'MARRIAGE', 'NEIGHBOR', 'DEBT', 'INHERITANCE', 'LABOR', 'MEDICAL', 'LAND', 'TRAFFIC', 'PROPERTY_MANAGEMENT', 'CONSUMER', 'FINANCE', 'CONSTRUCTION', 'CONTRACT', 'ENVIRONMENT', 'TOURISM', 'INTELLECTUAL_PROPERTY', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."mediation_channel" AS ENUM('PEOPLES', 'ADMINISTRATIVE', 'JUDICIAL', 'LAWYER');--> statement-breakpoint
CREATE TYPE "public"."organization_kind" AS ENUM('PEOPLES_MEDIATION_COMMITTEE', 'INDUSTRY_MEDIATION_COMMITTEE', 'ADMINISTRATIVE_AGENCY', 'COURT', 'LAWYER_MEDIATION_STUDIO', 'COMPREHENSIVE_CENTER');--> statement-breakpoint
CREATE TYPE "public"."region_level" AS ENUM('PROVINCE', 'PREFECTURE', 'COUNTY', 'TOWNSHIP', 'VILLAGE');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('PARTY', 'GRID_WORKER', 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN');--> statement-breakpoint
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
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
CREATE INDEX "events_at_idx" ON "events" USING btree ("at");