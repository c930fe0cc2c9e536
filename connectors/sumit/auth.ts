import { z } from 'zod';

/**
 * SUMIT takes the credentials inside every JSON body (`Credentials.CompanyID` / `Credentials.APIKey`),
 * and CompanyID must be a JSON number there. A form may hand us the id as text, so both forms are
 * accepted here and the client sends `Number(companyId)`; no transform, so the schema stays
 * representable as JSON Schema for the catalogue.
 */
export const sumitCredentials = z.object({
  companyId: z
    .union([z.number().int().positive(), z.string().trim().regex(/^\d{1,15}$/)])
    .describe('The numeric SUMIT company id (Settings → Developers / API).'),
  apiKey: z
    .string()
    .trim()
    .min(8)
    .describe('The private SUMIT API key (Settings → Developers / API). SUMIT deletes keys unused for 120 days.'),
});
export type SumitCredentials = z.infer<typeof sumitCredentials>;

export const sumitLimitOverrides = z
  .object({
    requestsPerMinute: z.number().int().positive().optional().describe('Calls per minute for this account (SUMIT documents about 100).'),
  })
  .strict();
