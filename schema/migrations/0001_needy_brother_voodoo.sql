CREATE TABLE "deadlines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"amount" integer NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"basis" text NOT NULL,
	"protects" text NOT NULL,
	"source" text NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	"reminders" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"expired_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holiday_arrangements" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" text[] NOT NULL,
	"workdays" text[] NOT NULL,
	"source" text NOT NULL,
	"origin" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" uuid
);
--> statement-breakpoint
DROP TABLE "calendar_days" CASCADE;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "contact_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "first_contact_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "first_contact_method" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "mediator_choice_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "court_stage" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "court_procedure" text;--> statement-breakpoint
ALTER TABLE "confirmation_applications" ADD COLUMN "served_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "confirmation_applications" ADD COLUMN "objection_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "confirmation_applications" ADD COLUMN "third_party_objection_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "enforcement_applications" ADD COLUMN "late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holiday_arrangements" ADD CONSTRAINT "holiday_arrangements_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deadlines_case_idx" ON "deadlines" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "deadlines_open_due_idx" ON "deadlines" USING btree ("due_at") WHERE "deadlines"."open";--> statement-breakpoint
CREATE INDEX "deadlines_provisional_idx" ON "deadlines" USING btree ("basis") WHERE "deadlines"."open" and "deadlines"."basis" = 'PROVISIONAL';--> statement-breakpoint
CREATE UNIQUE INDEX "deadlines_open_key" ON "deadlines" USING btree ("kind","target_id") WHERE "deadlines"."open";