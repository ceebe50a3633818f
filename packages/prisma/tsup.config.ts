import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

const { version } = JSON.parse(readFileSync(join(__dirname, 'package.json'), 'utf8')) as { version: string };

export default defineConfig(packageBuild({
  entry: ['src/index.ts', 'src/bin.ts'],
  dts: { entry: 'src/index.ts' },
  // `seqsync-prisma --version` without reading package.json at run time (see src/version.ts).
  define: { __SEQSYNC_PRISMA_VERSION__: JSON.stringify(version) },
}));
