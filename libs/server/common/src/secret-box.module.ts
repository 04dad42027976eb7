import { Module } from '@nestjs/common';
import { SECRET_BOX, SecretBox } from './secret-box';

/** One key for every secret at rest (HINDSIGHT_ENCRYPTION_KEY); imported wherever one is kept. */
@Module({
  providers: [{ provide: SECRET_BOX, useFactory: () => SecretBox.forProcess() }],
  exports: [SECRET_BOX],
})
export class SecretBoxModule {}
