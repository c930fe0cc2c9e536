import { z } from 'zod';
import { defineConnector } from '../kit/types';
import { sareCredentials, sareLimitOverrides } from './auth';
import { callSare } from './client';
import { addToGroup, upsertSubscriber } from './subscribers';
import { sendTransactional } from './transactional';

const propsAnswer = z.looseObject({ data: z.unknown().optional() });

export const sare = defineConnector({
  id: 'sare',
  name: 'SARE',
  functionalities: ['email', 'mailing-list'],
  // The account UID is the first path segment after this (added by the client).
  defaultBaseUrl: 'https://s.enewsletter.pl/api/v1',
  hosts: ['s.enewsletter.pl'],
  auth: { type: 'api-key', schema: sareCredentials, secretFields: ['apiKey'] },
  limits: {
    // [I] SARE publishes no REST limit; a conservative figure, raised per account through `limits`.
    requestsPerMinute: { limit: 60, windowMs: 60_000, description: 'SARE API calls per minute' },
  },
  limitOverrides: sareLimitOverrides,
  async check(ctx) {
    // The list of custom fields: small, read-only, and refused without a valid UID + key.
    const answer = propsAnswer.parse(await callSare(ctx, 'GET', '/email/props'));
    return { details: { props: answer.data && typeof answer.data === 'object' ? Object.keys(answer.data).length : 0 } };
  },
  actions: {
    'upsert-subscriber': { ...upsertSubscriber, functionality: 'mailing-list', repeats: 'safe' },
    'add-to-group': { ...addToGroup, functionality: 'mailing-list', repeats: 'safe' },
    'send-transactional-email': { ...sendTransactional, functionality: 'email', repeats: { key: 'idempotencyKey' } },
  },
  triggers: {},
  lookups: {},
});
