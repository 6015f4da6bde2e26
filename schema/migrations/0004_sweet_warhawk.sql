CREATE TABLE "organization_case_counters" (
	"organization_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "organization_case_counters_pkey" PRIMARY KEY("organization_id","year")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "service_consent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "service_consent_channel" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "short_name" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "domicile_region_code" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "gender" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "ethnicity" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "occupation" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "service_address" text;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "service_consent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "service_consent_channel" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "subject_matter_region_code" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "filing_number" text;--> statement-breakpoint
ALTER TABLE "organization_case_counters" ADD CONSTRAINT "organization_case_counters_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;