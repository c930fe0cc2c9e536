import { z } from 'zod';
import { defineAction } from '../kit/define-action';
import { callSumit, type SumitContext } from './client';

/** Customer SearchMode: how SUMIT looks for an existing customer before creating one; sent by name. */
export const SEARCH_MODES = ['Automatic', 'None', 'ExternalIdentifier', 'Name', 'CompanyNumber', 'Phone', 'EmailAddress'] as const;

export const customerFields = z.object({
  name: z.string().trim().min(1).optional().describe('Customer name (required when a new customer is created).'),
  phone: z.string().trim().min(1).optional().describe('Phone number.'),
  emailAddress: z.email().optional().describe('E-mail address.'),
  city: z.string().optional().describe('City.'),
  address: z.string().optional().describe('Street address.'),
  zipCode: z.string().optional().describe('Postal code.'),
  companyNumber: z.string().optional().describe("The customer's business / tax number (not our company id)."),
  externalIdentifier: z.string().trim().min(1).optional().describe('Your own id for the customer; SUMIT can find the customer by it.'),
  noVat: z.boolean().optional().describe('The customer is exempt from VAT.'),
  searchMode: z.enum(SEARCH_MODES).optional().describe('How SUMIT looks for an existing customer first (default: by external identifier when one is given).'),
  folder: z.string().min(1).optional().describe('CRM folder (name or FolderID) the customer belongs to.'),
  properties: z.record(z.string(), z.unknown()).optional().describe('Other CRM fields of the customer, by property name.'),
});
export type CustomerFields = z.infer<typeof customerFields>;

/** `findBy` lets create look a customer up by its external identifier; an update names its id instead. */
export function customerWire(c: CustomerFields & { id?: number }, findBy: 'external-identifier' | 'as-given' = 'external-identifier'): Record<string, unknown> {
  return {
    ID: c.id,
    Name: c.name,
    Phone: c.phone,
    EmailAddress: c.emailAddress,
    City: c.city,
    Address: c.address,
    ZipCode: c.zipCode,
    CompanyNumber: c.companyNumber,
    ExternalIdentifier: c.externalIdentifier,
    NoVAT: c.noVat,
    // With an external identifier SUMIT finds the customer a previous attempt created.
    SearchMode: c.searchMode ?? (findBy === 'external-identifier' && c.externalIdentifier ? 'ExternalIdentifier' : undefined),
    Folder: c.folder,
    Properties: c.properties,
  };
}

const customerData = z.object({ CustomerID: z.number().int(), CustomerHistoryURL: z.string().nullish() });

export interface CustomerResult {
  customerId: number;
  historyUrl?: string;
}

const createCustomerInput = customerFields.extend({
  name: z.string().trim().min(1).describe('Customer name.'),
  idempotencyKey: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Used as the external identifier when none is given, so a retried create returns the first customer instead of a second one.'),
});

/**
 * What SUMIT guarantees: with SearchMode ExternalIdentifier, customers/create looks the identifier
 * up first and returns the customer that already has it (swagger: SearchMode). So the idempotency
 * key rides in ExternalIdentifier when the caller has no identifier of its own.
 */
export const createCustomer = defineAction('sumit', {
  name: 'Create customer',
  description: 'Creates a customer, or returns the existing one with the same external identifier.',
  input: createCustomerInput,
  async run(ctx: SumitContext, input): Promise<CustomerResult> {
    const { idempotencyKey, ...fields } = input;
    const externalIdentifier = fields.externalIdentifier ?? idempotencyKey;
    const data = await callSumit(ctx, '/accounting/customers/create/', { Details: customerWire({ ...fields, externalIdentifier }) }, customerData);
    return { customerId: data.CustomerID, historyUrl: data.CustomerHistoryURL ?? undefined };
  },
});

const updateCustomerInput = customerFields.extend({
  customerId: z.number().int().positive().describe('The SUMIT id of the customer to update.'),
});

/** Updating is naturally idempotent: the same fields written twice give the same customer. */
export const updateCustomer = defineAction('sumit', {
  name: 'Update customer',
  description: 'Updates the given fields of an existing customer.',
  input: updateCustomerInput,
  async run(ctx: SumitContext, input): Promise<CustomerResult> {
    const { customerId, ...fields } = input;
    // [I] update answers with the CustomerID or no Data at all; the id we sent is the result either way.
    const data = await callSumit(ctx, '/accounting/customers/update/', { Details: customerWire({ ...fields, id: customerId }, 'as-given') }, customerData.partial().nullish());
    return { customerId: data?.CustomerID ?? customerId, historyUrl: data?.CustomerHistoryURL ?? undefined };
  },
});
