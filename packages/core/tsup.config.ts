import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

/**
 * Core's build: the shared one, plus the module URL drivers are required from (src/optional-driver.ts). The ESM
 * build gets `import.meta.url` spelled by esbuild, because TypeScript compiling the source as CommonJS rejects
 * `import.meta`; the CommonJS build has Node's `__filename` instead. tsup's `shims` would also supply the URL, but
 * computes `__filename` from `import.meta.url` when the module loads, which fails in an app bundled to CommonJS
 * that holds the ESM build (esbuild empties `import.meta` there).
 */
export const coreBuild = packageBuild({
  // One ESM file, as the CommonJS build is: split chunks import each other with bare `import "./chunk-….mjs"` lines,
  // and with "sideEffects": false every esbuild bundle of an app printed a warning per line that it ignored them.
  splitting: false,
  esbuildOptions(options, { format }) {
    options.define = { ...options.define, __SEQSYNC_MODULE_URL__: format === 'esm' ? 'import.meta.url' : 'undefined' };
  },
});

export default defineConfig(coreBuild);
