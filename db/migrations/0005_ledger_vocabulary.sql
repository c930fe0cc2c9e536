-- One word for "under way" in stored data (kinds/ledger/vocabulary.ts). The column is text, so no
-- DDL: only the rows written with the old words change.
-- Scenario steps marked before an action that is not safe to repeat.
UPDATE "delivery_ledger" SET "state" = 'under-way' WHERE "state" = 'started';--> statement-breakpoint
-- crm-automation's task creations under way. They were stored as held, which the vocabulary keeps
-- for rows waiting with a reason; nothing read that state, only the phase.
UPDATE "delivery_ledger" SET "state" = 'under-way', "detail" = jsonb_set("detail", '{phase}', '"under-way"')
WHERE "action" = 'worksection-task' AND "detail"->>'phase' = 'creating';
