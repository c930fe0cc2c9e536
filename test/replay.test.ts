import { Worker } from '@temporalio/worker';
import { quietTemporalRuntime, workflowBundle } from './support/harness';
import { loadHistories } from './support/histories';

/**
 * Determinism guard: the current workflow code replays histories recorded from real runs of the
 * end-to-end tests (sync, updates, held statuses, pause/resume, config change, failure on bad
 * credentials, stop), of sms-send both before (its own loop, sms-send-e2e…) and after it moved onto the
 * integration loop (sms-send-on-loop-…). A change that would break running workflows fails here; version it with
 * patched() and record a new history next to the old ones.
 */
describe('workflow code replays recorded histories', () => {
  const histories = loadHistories();

  it('has histories to replay', () => {
    expect(histories.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['order-sync-e2e', 'order-sync-credentials-fail', 'crm-automation-e2e', 'sms-send-e2e', 'scenario-e2e', 'sms-send-on-loop-e2e', 'sms-send-on-loop-temporal-restart', 'sms-send-on-loop-toggle-first-pass']));
  });

  it.each(histories.map((h) => [h.workflowId, h] as const))('replays %s', async (_name, history) => {
    quietTemporalRuntime();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history.history, history.workflowId);
  });
});
