import { z } from 'zod';
import { defineAction } from '../kit/define-action';
import { callSare, type SareContext } from './client';

/** [3P] Subscriber statuses: 5 not verified, 6 not confirmed (SARE's default), 7 blocked, 8 confirmed. */
const STATUSES = [5, 6, 7, 8] as const;
const PROP_NAMES = ['prop1', 'prop2', 'prop3', 'prop4', 'prop5', 'prop6', 'prop7', 'prop8', 'prop9'] as const;
const props = z.partialRecord(z.enum(PROP_NAMES), z.string()).describe('The nine standard SARE fields prop1…prop9.');

const upsertInput = z.object({
  email: z.email().describe('Subscriber e-mail address (the key in SARE).'),
  name: z.string().optional().describe('Display name.'),
  gsm: z.string().optional().describe('Mobile number with country prefix, e.g. 48600100200.'),
  status: z.union(STATUSES.map((s) => z.literal(s))).optional().describe('5 not verified, 6 not confirmed, 7 blocked, 8 confirmed.'),
  groups: z.array(z.number().int().positive()).optional().describe('Groups to add the subscriber to (existing memberships are kept).'),
  props: props.optional(),
  customProps: z.record(z.string(), z.string()).optional().describe('Custom personalisation fields (prop_cust).'),
  sendConfirmation: z.boolean().default(false).describe('Send the double opt-in confirmation e-mail.'),
});

/**
 * One call adds or edits: with update_on_duplicate SARE updates an address it already has, so the
 * action is idempotent by e-mail (a retry writes the same data again), and only_add_to_groups keeps
 * the subscriber's other groups instead of moving them.
 */
export const upsertSubscriber = defineAction('sare', {
  name: 'Add or update subscriber',
  description: 'Adds a subscriber, or updates the one with the same e-mail address.',
  input: upsertInput,
  async run(ctx: SareContext, input): Promise<{ email: string }> {
    await callSare(ctx, 'POST', '/email/add', {
      update_on_duplicate: true,
      update_status_on_duplicate: input.status !== undefined,
      only_add_to_groups: true,
      send_confirmation: input.sendConfirmation,
      emails: [{ email: input.email, name: input.name, gsm: input.gsm, status: input.status, groups: input.groups, prop: input.props, prop_cust: input.customProps }],
    });
    return { email: input.email };
  },
});

const addToGroupInput = z.object({
  group: z.number().int().positive().describe('The SARE group number.'),
  emails: z.array(z.email()).min(1).max(1000).describe('Addresses to add (they must already be subscribers).'),
});

/** Adding a member twice leaves one membership, so a retry is harmless. */
export const addToGroup = defineAction('sare', {
  name: 'Add to group',
  description: 'Adds existing subscribers to a group.',
  input: addToGroupInput,
  async run(ctx: SareContext, input): Promise<{ group: number; count: number }> {
    await callSare(ctx, 'POST', '/group/add_emails', { group: input.group, emails: input.emails });
    return { group: input.group, count: input.emails.length };
  },
});
