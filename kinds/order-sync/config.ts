import { z } from 'zod';
import { statusMapSchema } from './status-map';

export const orderSyncConfig = z
  .object({
    owner: z.union([z.string().trim().min(1), z.number().int().positive()]).describe('MiniCRM user (name or id) who owns every synced card'),
    linkField: z.string().trim().min(1).describe("Card field receiving the link to the order's invoice document in UNAS"),
    statusField: z.string().trim().min(1).optional().describe('Card field receiving the UNAS status text'),
    statusMap: statusMapSchema.describe('UNAS status → MiniCRM status, as an object or as the text {"Unas-Status": "MiniCRM-Status"}'),
    syncFrom: z.iso.date('a date as YYYY-MM-DD').describe('Orders placed on or after this date are synced; fixed at creation'),
    pollIntervalSeconds: z.number().int().min(10).max(86_400).default(300),
    ordersCategoryId: z.number().int().positive().optional().describe("MiniCRM Orders module id (default: found by name)"),
    webshopCategoryId: z.number().int().positive().optional().describe('MiniCRM Webshop module id (default: found by name)'),
  })
  .strict();

export type OrderSyncConfig = z.infer<typeof orderSyncConfig>;
