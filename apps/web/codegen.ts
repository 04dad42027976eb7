// Typed documents for the web app, generated from the committed schema (never a running
// server), so the client and the API cannot drift apart unnoticed: CI checks the schema file.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'libs/shared/schema/schema.gql',
  documents: ['libs/web/*/src/**/*.{ts,tsx}', '!libs/web/data-access/src/generated/**'],
  ignoreNoDocuments: true,
  generates: {
    'libs/web/data-access/src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' }, avoidOptionals: false },
    },
  },
  hooks: {},
};

export default config;
