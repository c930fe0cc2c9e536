import type { DELIVERY_STATES } from '../../connectors/8x8/delivery-receipt';
import { SMS_STATES, type SmsState } from '../../db/schema';
import type { LedgerWord } from './vocabulary';

/**
 * Each message state in the ledger's words. `sending` is under way while its request is out; one a
 * run leaves `sending` (a crash, a lost answer) is in doubt until its receipt settles it, and sent
 * again only once the doubt wait has passed without one. The refused and failed states are held,
 * with the reason in sms_messages.reason.
 */
export const SMS_STATE_WORDS = {
  pending: 'not-started',
  sending: 'under-way',
  queued: 'done',
  sent: 'done',
  delivered: 'done',
  undelivered: 'held',
  rejected: 'held',
  failed: 'held',
} as const satisfies Record<SmsState, LedgerWord | 'not-started'>;

/** Messages the next run will send, or whose send is not settled yet. */
export const UNSENT_STATES = SMS_STATES.filter((s) => SMS_STATE_WORDS[s] === 'not-started' || SMS_STATE_WORDS[s] === 'under-way');
export const isUnsent = (state: SmsState): boolean => UNSENT_STATES.includes(state);

/**
 * The moves our own steps make. A send answer applies only to a message still `sending`: a receipt
 * that overtook it (delivered before we wrote queued) is not turned back.
 */
export const SMS_MOVES = {
  /** Marked before 8x8 is called, so a crash leaves the message in doubt rather than unsent. */
  claim: { from: ['pending'], to: 'sending' },
  /** Left `sending` and no receipt by the end of the doubt wait: sent again (the one case that can text twice). */
  resend: { from: ['sending'], to: 'sending' },
  /** 8x8's answer per message in the batch. */
  answer: { from: ['sending'], to: ['queued', 'rejected'] },
  /** 8x8 refused the request itself: nothing went out, no doubt. */
  refused: { from: ['sending'], to: 'pending' },
} as const satisfies Record<string, { from: readonly SmsState[]; to: SmsState | readonly SmsState[] }>;

export type SendAnswerState = (typeof SMS_MOVES.answer.to)[number];

/** How far along a message is: a receipt never moves one back (receipts arrive out of order and retried). */
const RANK: Record<SmsState, number> = { pending: 0, sending: 1, queued: 2, sent: 3, delivered: 4, undelivered: 4, rejected: 4, failed: 4 };

/** 8x8's receipt states as ours; `read` is delivered and read. */
const FROM_RECEIPT: Record<(typeof DELIVERY_STATES)[number], SmsState> = { queued: 'queued', sent: 'sent', delivered: 'delivered', read: 'delivered', undelivered: 'undelivered', rejected: 'rejected' };
const RECEIPT_STATES = new Map<string, SmsState>(Object.entries(FROM_RECEIPT));

/** Our state for an 8x8 receipt state, or undefined for one we do not track. */
export const stateOfReceipt = (receiptState: string): SmsState | undefined => RECEIPT_STATES.get(receiptState);

/**
 * The states a receipt saying `to` may move a message from: only earlier ones, and never
 * `pending`: a message we have not sent has no receipt, so one that claims it is forged (or for
 * another system's message), and obeying it would mark a text as delivered that nobody got.
 */
export const receiptMovesFrom = (to: SmsState): SmsState[] => SMS_STATES.filter((s) => s !== 'pending' && RANK[s] < RANK[to]);
