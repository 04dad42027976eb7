// `npm run trackers:rotate-key`: re-encrypts every tracker token and webhook secret with
// HINDSIGHT_ENCRYPTION_KEY, reading old ciphertexts with HINDSIGHT_ENCRYPTION_KEY_PREVIOUS.
// Idempotent: rows already on the current key are left alone (docs/trackers.md, "Rotating the key").
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@hindsight/server-config';
import { createDataSource } from '@hindsight/server-db';
import { SecretBox } from './secret-box';
import { rotateTrackerSecrets } from './secret-rotation';

async function main(): Promise<void> {
  const { databaseUrl } = loadConfig();
  const box = SecretBox.fromEnv();
  const ds = await createDataSource({ url: databaseUrl, poolSize: 1, applicationName: 'hindsight-rotate-key' }).initialize();
  try {
    const { reencrypted, total } = await rotateTrackerSecrets(ds, box);
    console.log(`trackers:rotate-key: ${reencrypted} of ${total} connections re-encrypted with key ${box.currentKeyId}; none is left on an old key`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : `trackers:rotate-key failed: ${(e as Error).message}`);
  process.exit(1);
});
