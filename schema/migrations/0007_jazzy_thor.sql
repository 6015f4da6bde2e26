ALTER TABLE "case_court_access" ADD COLUMN "content_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD COLUMN "agent_name" text;--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_short_name_key" ON "organizations" USING btree ("short_name") WHERE "organizations"."short_name" is not null;