import { Router } from 'express';
import { z } from 'zod';
import { KIND_NAMES, kinds, type Kind } from '../../kinds';
import { notFound } from '../problem';

export const kindView = z.object({
  kind: z.enum(KIND_NAMES),
  description: z.string(),
  source: z.array(z.string()).describe('Systems an integration of this kind may read from (source.accountId)'),
  target: z.array(z.string()).describe('Systems it may write to (target.accountId)'),
  config: z.record(z.string(), z.unknown()).describe("JSON Schema of the kind's config, as POST /integrations takes it"),
  immutable: z.array(z.string()).describe('Config keys that cannot change after creation'),
  counts: z.record(z.string(), z.string()).describe('What each status count means for this kind'),
  callbacks: z.string().nullable().describe('What providers send back at PUBLIC_URL, when the kind needs it'),
});
export type KindView = z.infer<typeof kindView>;

function describe(name: Kind): KindView {
  const k = kinds[name];
  return {
    kind: name,
    description: k.description,
    source: [...k.source],
    target: [...k.target],
    config: z.toJSONSchema(k.config, { io: 'input', unrepresentable: 'any' }),
    immutable: [...k.immutable],
    counts: { ...k.counts },
    callbacks: k.callbacks ?? null,
  };
}

let cached: KindView[] | undefined;
const all = (): KindView[] => (cached ??= KIND_NAMES.map(describe));

/** What forms need to create an integration of each kind: its systems and its config's JSON Schema. Read-only. */
export function kindsRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => void res.json({ items: all() }));
  router.get('/:kind', (req, res) => {
    const view = all().find((k) => k.kind === req.params.kind);
    if (!view) throw notFound('kind', String(req.params.kind), 'kind');
    res.json(view);
  });
  return router;
}
