import { z } from 'zod';
import { callWorksection, parseData, type WorksectionCtx } from './client';
import { project, user, type WorksectionProject, type WorksectionUser } from './schema';

export const listProjectsInput = z.object({
  status: z.enum(['active', 'pending', 'archived']).optional().describe('Only projects in this state (default: all)'),
});

export async function listProjects(ctx: WorksectionCtx, input: z.infer<typeof listProjectsInput>): Promise<WorksectionProject[]> {
  return parseData(z.array(project), await callWorksection(ctx, 'get_projects', { filter: input.status }), 'get_projects');
}

export async function listUsers(ctx: WorksectionCtx): Promise<WorksectionUser[]> {
  return parseData(z.array(user), await callWorksection(ctx, 'get_users'), 'get_users');
}
