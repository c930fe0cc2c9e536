import { z } from 'zod';
import { validationError } from '../kit/errors';

export const DELIVERY_STATES = ['queued', 'rejected', 'sent', 'delivered', 'undelivered', 'read'] as const;

/**
 * The JSON 8x8 POSTs to the delivery-receipt webhook (namespace SMS, outbound_message_status_changed).
 * Unknown fields pass through; an unknown state is kept as text rather than refused, since a
 * refused receipt is retried by 8x8 and then lost.
 */
export const deliveryReceiptSchema = z.looseObject({
  namespace: z.literal('SMS'),
  eventType: z.literal('outbound_message_status_changed'),
  description: z.string().optional(),
  payload: z.looseObject({
    umid: z.string(),
    batchId: z.string().nullish(),
    clientMessageId: z.string().nullish(),
    clientBatchId: z.string().nullish(),
    subAccountId: z.string(),
    source: z.string().nullish(),
    destination: z.string(),
    status: z.looseObject({
      state: z.union([z.enum(DELIVERY_STATES), z.string()]),
      detail: z.string().nullish(),
      timestamp: z.iso.datetime({ offset: true }),
      errorCode: z.number().int().nullish(),
      errorMessage: z.string().nullish(),
    }),
    price: z.object({ total: z.number(), perSms: z.number(), currency: z.string() }).nullish(),
    smsCount: z.number().int().nullish(),
  }),
});
export type DeliveryReceipt = z.infer<typeof deliveryReceiptSchema>;

/** Parses a webhook body (raw text or already-parsed JSON); throws a validation error naming the first bad field. */
export function parseDeliveryReceipt(body: unknown): DeliveryReceipt {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      throw validationError('8x8', '8x8 delivery receipt is not JSON');
    }
  }
  const parsed = deliveryReceiptSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw validationError('8x8', `8x8 delivery receipt: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim());
  }
  return parsed.data;
}

/** Final states: no further receipt is expected for the message. */
export function isFinalState(state: string): boolean {
  return state === 'delivered' || state === 'undelivered' || state === 'rejected' || state === 'read';
}
