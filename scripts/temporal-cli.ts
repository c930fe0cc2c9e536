import { cliVersion, ensureTemporalCli } from '../lib/dev/temporal-cli';

/** `npm run temporal:install`: provides the Temporal CLI (see lib/dev/temporal-cli.ts) and prints where it is. */
ensureTemporalCli()
  .then((binary) => console.log(`${binary} (${cliVersion(binary)})`))
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
