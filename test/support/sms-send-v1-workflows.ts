import { smsSendWorkflowV1, type CarriedV1 } from '../../workflows/legacy/sms-send-v1';

/**
 * The sms-send workflow as the release before the move onto the integration loop ran it (its own
 * loop, never moving): the workflows a worker of this release finds running after an upgrade.
 */
export async function smsSendWorkflow(input: { integrationId: string; carried?: CarriedV1 }): Promise<void> {
  return smsSendWorkflowV1(input);
}
