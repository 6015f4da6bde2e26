DROP INDEX "statistic_milestones_due_idx";--> statement-breakpoint
CREATE INDEX "statistic_counts_due_idx" ON "statistic_counts" USING btree ("grain","area","month") WHERE "statistic_counts"."milestone" = 'due';--> statement-breakpoint
CREATE INDEX "statistic_milestones_due_idx" ON "statistic_milestones" USING btree ("at","county_code") WHERE "statistic_milestones"."milestone" = 'due';