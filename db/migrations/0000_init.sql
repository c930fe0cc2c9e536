CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"system" text NOT NULL,
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"credentials_key_id" text NOT NULL,
	"credentials_data" text NOT NULL,
	"limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"functionalities" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'unchecked' NOT NULL,
	"status_reason" text,
	"checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_ledger" (
	"integration_id" uuid NOT NULL,
	"source_key" text NOT NULL,
	"action" text NOT NULL,
	"state" text NOT NULL,
	"target_id" text,
	"fingerprint" text,
	"detail" jsonb,
	"attempts" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_ledger_integration_id_source_key_action_pk" PRIMARY KEY("integration_id","source_key","action")
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"source_account_id" uuid NOT NULL,
	"target_account_id" uuid NOT NULL,
	"config" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limit_events" (
	"bucket" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "delivery_ledger" ADD CONSTRAINT "delivery_ledger_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_source_account_id_accounts_id_fk" FOREIGN KEY ("source_account_id") REFERENCES "public"."accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_target_account_id_accounts_id_fk" FOREIGN KEY ("target_account_id") REFERENCES "public"."accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delivery_ledger_state_idx" ON "delivery_ledger" USING btree ("integration_id","state");--> statement-breakpoint
CREATE INDEX "integrations_source_idx" ON "integrations" USING btree ("source_account_id");--> statement-breakpoint
CREATE INDEX "integrations_target_idx" ON "integrations" USING btree ("target_account_id");--> statement-breakpoint
CREATE INDEX "rate_limit_events_bucket_at_idx" ON "rate_limit_events" USING btree ("bucket","at");