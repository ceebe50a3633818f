import type { Options } from 'tsup';

/** Every package builds the same way: dual CommonJS + ESM with declarations, for Node 20. */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['cjs', 'esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...overrides,
  };
}
