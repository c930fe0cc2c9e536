import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { ScenarioActivities } from '../activities/scenario/activities';
import { PAGE_ACTIVITY } from './activity-options';
import { integrationLoop, type Carried } from './integration-loop';

const { handleScenarioPage } = proxyActivities<ScenarioActivities>(PAGE_ACTIVITY);

export interface ScenarioInput {
  integrationId: string;
  /** The trigger's cursor is in the database (trigger_cursors), not here. */
  carried?: Carried<undefined>;
}

/**
 * A trigger-to-action scenario as a business process: each run polls the trigger page by page, and
 * every record it reports runs the actions in order. Where the trigger stands is kept in the
 * database (some cursors are large); the workflow keeps the counts, the schedule and the control.
 */
export async function scenarioWorkflow(input: ScenarioInput): Promise<void> {
  const { integrationId } = input;
  await integrationLoop<undefined>({
    integrationId,
    carried: input.carried,
    initialCursor: undefined,
    continueAsNew: (carried) => continueAsNew<typeof scenarioWorkflow>({ integrationId, carried }),
    async run(run) {
      for (;;) {
        if (run.interrupted) return false;
        const page = await handleScenarioPage({ integrationId });
        run.setPollInterval(page.pollIntervalSeconds);
        run.add(page);
        if (!page.hasMore) return true;
      }
    },
  });
}
