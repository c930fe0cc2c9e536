ALTER TABLE "rate_limit_events" ADD COLUMN "id" bigserial PRIMARY KEY NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_limit_events" ADD COLUMN "slots" integer DEFAULT 1 NOT NULL;