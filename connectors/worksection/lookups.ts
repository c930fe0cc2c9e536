import { z } from 'zod';
import { defineLookup } from '../kit/define-action';
import type { WorksectionCtx } from './client';
import { listProjects, listProjectsInput, listUsers } from './directory';

export const worksectionLookups = {
  projects: defineLookup('worksection', {
    name: 'Projects',
    description: 'Projects of the account (optionally only active, pending or archived ones); value is the project id.',
    input: listProjectsInput,
    run: async (ctx: WorksectionCtx, input) => (await listProjects(ctx, input)).map((p) => ({ value: p.id, label: p.name, ...(p.status && { status: p.status }) })),
  }),
  users: defineLookup('worksection', {
    name: 'Users',
    description: 'Users of the account; value is the e-mail that assignees are given by.',
    input: z.object({}),
    run: async (ctx: WorksectionCtx) =>
      (await listUsers(ctx)).map((u) => ({ value: u.email, label: u.name ?? ([u.first_name, u.last_name].filter(Boolean).join(' ') || u.email), id: u.id })),
  }),
};
