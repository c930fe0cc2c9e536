import { LEDGER_STATES } from '../../db/schema';

/**
 * The one vocabulary for where a side effect on a target stands, for every kind:
 * - done: carried out; a repeat (a retried activity, a replayed page) skips it.
 * - under-way: an action that is not safe to repeat is going out now. The mark is committed before
 *   the call, so that a crash leaves a trace instead of a silent gap.
 * - in-doubt: found under way after a crash, or a call ended without a clear answer: it may have
 *   happened. Never repeated on its own; a person checks the target and retries it on purpose.
 * - held: not carried out, waiting for a person or a change (a refusal, an unmapped status, an
 *   archived project). Held always carries the reason, in the words the person will read.
 */
export const LEDGER_WORDS = ['done', 'under-way', 'in-doubt', 'held'] as const;
export type LedgerWord = (typeof LEDGER_WORDS)[number];

// The states delivery_ledger stores are words of the vocabulary (db/ cannot import this file): a
// new stored state that is not one fails to compile here.
const _storedStatesAreWords: readonly LedgerWord[] = LEDGER_STATES;
