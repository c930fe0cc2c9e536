import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__testServices;
  if (!services) return;
  await services.temporal?.stop();
  await services.postgres?.stop();
  fs.rmSync(services.tmp, { recursive: true, force: true });
}
