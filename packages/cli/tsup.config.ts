import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

const { version } = JSON.parse(readFileSync(join(__dirname, 'package.json'), 'utf8')) as { version: string };

/** Constants the bundle carries instead of reading package.json at run time (see src/version.ts). */
export const cliDefine = { __SEQSYNC_CLI_VERSION__: JSON.stringify(version) };

export default defineConfig(packageBuild({
  entry: ['src/index.ts', 'src/bin.ts', 'src/demo.ts'],
  dts: { entry: 'src/index.ts' },
  define: cliDefine,
}));
