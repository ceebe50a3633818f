import type { GeneratorOptions } from '@prisma/generator-helper';
import { join, dirname } from 'node:path';
import { generatorHandler } from '@prisma/generator-helper';
import { SeqsyncError } from '@seqsync/core';
import { metadataFromDmmf } from './from-dmmf';
import { emitMetadata } from './emit-metadata';

/** Where the metadata goes when the generator block has no `output`, relative to the schema file. */
export const DEFAULT_OUTPUT = 'generated/seqsync';

/**
 * The `seqsync` Prisma generator. Prisma 7's `prisma-client` generator exposes no `Prisma.dmmf` and its
 * runtime data model has no key or default information, but every generator receives the full DMMF at
 * `prisma generate` — so this generator turns it into seqsync's model metadata.
 *
 * @example
 * // schema.prisma
 * generator seqsync {
 *   provider = "seqsync-prisma"
 *   output   = "../generated/seqsync"
 * }
 */
export async function generateMetadata(options: GeneratorOptions): Promise<void> {
  const datasource = options.datasources[0];
  const provider = datasource?.activeProvider ?? datasource?.provider;
  // Prisma refuses a schema without a datasource before generators run; this only keeps the types honest.
  if (provider === undefined) {
    throw new SeqsyncError('INVALID_OPTION',
      'the Prisma schema declares no datasource: seqsync cannot tell which database the models live in');
  }
  const output = options.generator.output?.value ?? join(dirname(options.schemaPath), DEFAULT_OUTPUT);
  await emitMetadata(output, metadataFromDmmf(options.dmmf, provider));
}

/** Starts the JSON-RPC loop Prisma talks to over stdin/stderr (only the bin imports this file). */
export function runGenerator(): void {
  generatorHandler({
    onManifest: () => ({ prettyName: 'seqsync metadata', defaultOutput: `./${DEFAULT_OUTPUT}` }),
    onGenerate: generateMetadata,
  });
}
