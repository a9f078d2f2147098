/**
 * A separate process that uses the key store, for the crash and concurrency tests in
 * keys-store.test.ts (bundled there with esbuild and run with plain node). One JSON argument:
 *   { mode: 'add', dataDir, count, prefix }   import `count` distinct secrets one by one, print "done"
 *   { mode: 'churn', dataDir }                rewrite the store forever (print "ready" once open)
 *   { mode: 'hold-lock', lockPath }           take the store's lock and keep it (print "locked")
 */
import { acquireLock } from '../../electron/services/files';
import { KeyStore } from '../../electron/services/keys';

const job = JSON.parse(process.argv[2] ?? '{}') as {
  mode: 'add' | 'churn' | 'hold-lock';
  dataDir: string;
  lockPath: string;
  count: number;
  prefix: string;
};

const protection = { kind: 'unencrypted-test-store' } as const;

async function main(): Promise<void> {
  if (job.mode === 'hold-lock') {
    await acquireLock(job.lockPath);
    process.stdout.write('locked\n');
    setInterval(() => undefined, 1000);
    return;
  }
  const store = await KeyStore.open({ dataDir: job.dataDir, protection, lockTimeoutMs: 30_000 });
  if (job.mode === 'add') {
    for (let i = 0; i < job.count; i++) {
      const value = `${job.prefix}-secret-${i}-${'x'.repeat(24)}`;
      await store.import({ type: 'secret', value, encoding: 'utf8' }, { label: `${job.prefix}-${i}` });
    }
    process.stdout.write('done\n');
    return;
  }
  // churn: every write replaces the whole (large) file, so a kill lands mid-write often.
  const [first] = await store.list();
  if (!first) throw new Error('churn needs a store with keys');
  process.stdout.write('ready\n');
  for (let n = 0; ; n++) await store.update(first.id, { label: `churn ${n}` });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}\n`);
  process.exit(1);
});
