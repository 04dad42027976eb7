// `npm run trackers:rotate-key`: re-encrypts every secret at rest (tracker tokens, tracker
// webhook secrets, notification channel secrets, change source secrets, the Slack app's stored
// bot token and signing secret) with HINDSIGHT_ENCRYPTION_KEY, reading old ciphertexts with HINDSIGHT_ENCRYPTION_KEY_PREVIOUS;
// channel secrets still in plain text are sealed. Idempotent: rows already on the current key are left alone (docs/security.md).
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@hindsight/server-config';
import { rotateChangeSourceSecrets } from '@hindsight/server-changes';
import { sealChannelSecrets } from '@hindsight/server-chase';
import { createDataSource } from '@hindsight/server-db';
import { SecretBox } from '@hindsight/server-common';
import { rotateSlackSecrets } from '@hindsight/server-slack';
import { rotateTrackerSecrets } from './secret-rotation';

async function main(): Promise<void> {
  const { databaseUrl } = loadConfig();
  const box = SecretBox.fromEnv();
  const ds = await createDataSource({ url: databaseUrl, poolSize: 1, applicationName: 'hindsight-rotate-key' }).initialize();
  try {
    const { reencrypted, total } = await rotateTrackerSecrets(ds, box);
    const channels = await sealChannelSecrets(ds, box);
    const sources = await rotateChangeSourceSecrets(ds, box);
    const slack = await rotateSlackSecrets(ds, box);
    console.log(
      `trackers:rotate-key: ${reencrypted} of ${total} tracker connections, ${channels.changed} channel secrets, ${sources.reencrypted} of ${sources.total} change sources and ${slack.reencrypted} of ${slack.total} Slack credentials re-encrypted with key ${box.currentKeyId}`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : `trackers:rotate-key failed: ${(e as Error).message}`);
  process.exit(1);
});
