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
ALTER TABLE "case_facts" ADD CONSTRAINT "case_facts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_facts_settled_idx" ON "case_facts" USING btree ("settled_at");--> statement-breakpoint
CREATE INDEX "case_facts_ended_idx" ON "case_facts" USING btree ("ended_at");