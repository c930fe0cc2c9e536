import { z } from 'zod';

const num = z.union([z.string(), z.number()]);
const person = z.looseObject({ id: num.optional(), email: z.string().optional(), name: z.string().optional() });

export const project = z.looseObject({
  id: num.transform(String),
  name: z.string(),
  status: z.string().optional(),
  page: z.string().optional(),
  company: z.string().optional(),
});
export type WorksectionProject = z.infer<typeof project>;

/** Docs show priority, max_time and max_money as strings or numbers: both are read. */
export const task = z.looseObject({
  id: num.transform(String),
  name: z.string(),
  status: z.string(),
  page: z.string().optional(),
  priority: num.optional(),
  user_from: person.optional(),
  user_to: person.optional(),
  project: z.looseObject({ id: num.transform(String), name: z.string().optional() }).optional(),
  text: z.string().optional(),
  date_added: z.string().optional(),
  date_start: z.string().optional(),
  date_end: z.string().optional(),
  date_closed: z.string().optional(),
  max_time: num.optional(),
  max_money: num.optional(),
  tags: z.unknown().optional(),
});
export type WorksectionTask = z.infer<typeof task>;

export const user = z.looseObject({
  id: num.transform(String),
  email: z.string(),
  name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  role: z.string().optional(),
});
export type WorksectionUser = z.infer<typeof user>;

export const event = z.looseObject({
  action: z.string(),
  date_added: z.string(),
  object: z.looseObject({ id: num.transform(String), type: z.string(), page: z.string().optional() }),
  user_from: person.optional(),
  new: z.unknown().optional(),
  old: z.unknown().optional(),
});
export type WorksectionEvent = z.infer<typeof event>;
