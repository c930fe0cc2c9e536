import { z } from 'zod';
import { assignIds } from '../entry-ids';

const jsonObject = z.record(z.string(), z.unknown());

export const scenarioAction = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, up to 40')
      .optional()
      .describe('Stable id of the step, for clients to tell steps apart; given at save time when left out (older saved scenarios may have none)'),
    action: z.string().min(1).describe("An action of the target account's system (GET /systems lists them)"),
    input: jsonObject
      .default({})
      .describe('The action\'s input. Any string may hold {{record.…}} (the trigger\'s record) or {{actions.N.…}} (what action N returned); a string that is only one placeholder keeps the value\'s type'),
  })
  .strict();

export const scenarioConfig = z
  .object({
    trigger: z
      .object({
        trigger: z.string().min(1).describe("A trigger of the source account's system, e.g. SUMIT's entity-created"),
        input: jsonObject.default({}).describe("The trigger's input (its schema is in GET /systems)"),
      })
      .strict(),
    actions: z.array(scenarioAction).min(1, 'at least one action').max(10).describe('Run in order for every record the trigger reports'),
    pollIntervalSeconds: z.number().int().min(60).max(86_400).default(300).describe('How often the trigger is polled'),
  })
  .strict();

export type ScenarioConfig = z.infer<typeof scenarioConfig>;

/** An action sent without an id gets one when saved (action-…), and keeps it while it stays the same. */
export function withActionIds(actions: unknown, saved: unknown): unknown {
  return assignIds(actions, saved, {
    prefix: 'action',
    normalize: (entry) => {
      const parsed = scenarioAction.safeParse(entry);
      return parsed.success ? parsed.data : null;
    },
  });
}
export type ScenarioAction = z.infer<typeof scenarioAction>;
