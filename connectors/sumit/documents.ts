import { z } from 'zod';
import { defineAction } from '../kit/define-action';
import { ANY_DATA, callSumit, type SumitContext } from './client';
import { customerFields, customerWire } from './customers';

/**
 * Document types by enum name: third-party sources disagree on the numbers (Invoice 0 vs 1…),
 * and SUMIT accepts the names, so names are what we send.
 */
export const DOCUMENT_TYPES = [
  'Invoice',
  'InvoiceAndReceipt',
  'Receipt',
  'DonationReceipt',
  'ProformaInvoice',
  'PaymentRequest',
  'PriceQuotation',
  'CreditInvoice',
  'CreditInvoiceAndReceipt',
  'CreditReceipt',
  'Order',
  'DeliveryNote',
] as const;
export const PAYMENT_TYPES = ['General', 'Cash', 'BankTransfer', 'Cheque', 'CreditCard', 'Digital', 'TaxWithholding', 'Other'] as const;

const item = z.object({
  name: z.string().trim().min(1).describe('Item name (SUMIT refuses an item without one: "Missing Item details").'),
  description: z.string().optional().describe('Line description.'),
  quantity: z.number().positive().describe('Quantity.'),
  unitPrice: z.number().describe('Price of one unit, in the document currency.'),
});

const payment = z.object({
  amount: z.number().describe('Amount paid.'),
  type: z.enum(PAYMENT_TYPES).default('General').describe('How it was paid.'),
});

const createDocumentInput = z.object({
  type: z.enum(DOCUMENT_TYPES).describe('Kind of document.'),
  customer: customerFields.extend({ id: z.number().int().positive().optional().describe('An existing customer id; otherwise SUMIT finds or creates one from the fields.') }).describe('Who the document is for.'),
  items: z.array(item).min(1).describe('Document lines.'),
  payments: z.array(payment).optional().describe('Payments received (receipts and invoice-receipts).'),
  date: z.iso.date().optional().describe('Document date (YYYY-MM-DD); default today.'),
  currency: z.string().trim().length(3).optional().describe('ISO currency code, e.g. ILS, USD, EUR.'),
  language: z.enum(['Hebrew', 'English', 'Arabic', 'Spanish']).optional().describe('Document language.'),
  description: z.string().optional().describe('Free text shown on the document.'),
  vatIncluded: z.boolean().optional().describe('Unit prices already include VAT.'),
  isDraft: z.boolean().optional().describe('Create a draft instead of a final document.'),
  sendByEmail: z
    .object({
      emailAddress: z.email().describe('Recipient address.'),
      original: z.boolean().default(true).describe('Send as the original (not a copy).'),
    })
    .optional()
    .describe('E-mail the document as soon as it is created.'),
  idempotencyKey: z.string().trim().min(1).max(100).optional().describe('Stored as the external reference of the document, so a retried create can be traced.'),
});

const documentData = z.object({
  DocumentID: z.number().int(),
  DocumentNumber: z.number().int().nullish(),
  CustomerID: z.number().int().nullish(),
  DocumentDownloadURL: z.string().nullish(),
  DocumentPaymentURL: z.string().nullish(),
});

export interface DocumentResult {
  documentId: number;
  documentNumber?: number;
  customerId?: number;
  downloadUrl?: string;
  paymentUrl?: string;
}

/**
 * What SUMIT guarantees: nothing about repeats — documents/create has no idempotency key [I: none
 * found in the swagger]. The key goes into ExternalReference so a duplicate is traceable, and the
 * delivery ledger (one row per document action) is what stops a replayed activity from creating a
 * second invoice. The e-mail is sent inside the same call, so it cannot be sent without the document.
 */
export const createDocument = defineAction('sumit', {
  name: 'Create document',
  description: 'Creates an invoice, receipt or other document, optionally e-mailing it to the customer.',
  input: createDocumentInput,
  async run(ctx: SumitContext, input): Promise<DocumentResult> {
    const { id, ...customer } = input.customer;
    const data = await callSumit(
      ctx,
      '/accounting/documents/create/',
      {
        Details: {
          Type: input.type,
          Customer: customerWire({ ...customer, id }),
          Date: input.date,
          IsDraft: input.isDraft,
          Language: input.language,
          Currency: input.currency,
          Description: input.description,
          ExternalReference: input.idempotencyKey,
          SendByEmail: input.sendByEmail ? { EmailAddress: input.sendByEmail.emailAddress, Original: input.sendByEmail.original } : undefined,
        },
        Items: input.items.map((i) => ({ Quantity: i.quantity, UnitPrice: i.unitPrice, Description: i.description, Item: { Name: i.name } })),
        Payments: input.payments?.map((p) => ({ Amount: p.amount, Type: p.type })),
        VATIncluded: input.vatIncluded,
      },
      documentData,
    );
    return {
      documentId: data.DocumentID,
      documentNumber: data.DocumentNumber ?? undefined,
      customerId: data.CustomerID ?? undefined,
      downloadUrl: data.DocumentDownloadURL ?? undefined,
      paymentUrl: data.DocumentPaymentURL ?? undefined,
    };
  },
});

const sendDocumentInput = z.object({
  documentId: z.number().int().positive().describe('The SUMIT id of the document (DocumentID).'),
  emailAddress: z.email().optional().describe("Recipient; default the customer's address."),
  original: z.boolean().optional().describe('Send as the original (not a copy).'),
  personalMessage: z.string().optional().describe('Text added to the e-mail.'),
});

/** SUMIT has no idempotency for e-mails: a retry after a lost answer sends the document again. */
export const sendDocument = defineAction('sumit', {
  name: 'Send document by e-mail',
  description: 'E-mails an existing document.',
  input: sendDocumentInput,
  async run(ctx: SumitContext, input): Promise<{ sent: true }> {
    await callSumit(
      ctx,
      '/accounting/documents/send/',
      { EntityID: input.documentId, EmailAddress: input.emailAddress, Original: input.original, PersonalMessage: input.personalMessage },
      ANY_DATA,
    );
    return { sent: true };
  },
});
