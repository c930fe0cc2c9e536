ALTER TABLE "integrations" ADD COLUMN "runs_after" uuid;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_runs_after_integrations_id_fk" FOREIGN KEY ("runs_after") REFERENCES "public"."integrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "integrations_runs_after_idx" ON "integrations" USING btree ("runs_after");--> statement-breakpoint
-- Backfill from sms-send's config.schedule.after (the one kind that declares runsAfter), which the
-- old lookup matched as text. An id that names no integration (its upstream deleted meanwhile) is
-- left NULL: the foreign key refuses it, and such a dependent waited for nothing before this
-- migration too. Comparing as text keeps a value that is not a UUID from failing the cast, and
-- with it the whole migration.
UPDATE "integrations" SET "runs_after" = ("config"->'schedule'->>'after')::uuid
WHERE "kind" = 'sms-send' AND "config"->'schedule'->>'after' IS NOT NULL
  AND EXISTS (SELECT 1 FROM "integrations" AS "upstream" WHERE "upstream"."id"::text = "integrations"."config"->'schedule'->>'after');
