CREATE TABLE "statistic_counts" (
	"grain" smallint NOT NULL,
	"area" text NOT NULL,
	"month" text NOT NULL,
	"category" text NOT NULL,
	"level" text NOT NULL,
	"channel" text NOT NULL,
	"milestone" text NOT NULL,
	"value" numeric NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "statistic_counts_pkey" PRIMARY KEY("grain","area","month","category","level","channel","milestone","value")
);
--> statement-breakpoint
CREATE TABLE "statistic_milestones" (
	"case_id" uuid NOT NULL,
	"milestone" text NOT NULL,
	"ref" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"value" numeric NOT NULL,
	"county_code" text NOT NULL,
	"region_code" text NOT NULL,
	"category" text NOT NULL,
	"level" text,
	"channel" text,
	"organization_id" uuid,
	"mediator_id" uuid,
	CONSTRAINT "statistic_milestones_pkey" PRIMARY KEY("case_id","milestone","ref")
);
--> statement-breakpoint
CREATE INDEX "statistic_milestones_county_at_idx" ON "statistic_milestones" USING btree ("county_code","at");--> statement-breakpoint
CREATE INDEX "statistic_milestones_due_idx" ON "statistic_milestones" USING btree ("at") WHERE "statistic_milestones"."milestone" = 'due';--> statement-breakpoint
CREATE INDEX "statistic_milestones_county_due_idx" ON "statistic_milestones" USING btree ("county_code","at") WHERE "statistic_milestones"."milestone" = 'due';--> statement-breakpoint
CREATE INDEX "follow_up_term_results_case_idx" ON "follow_up_term_results" USING btree ("case_id");