// Test infrastructure only. Prints the SQL `prisma migrate diff --from-empty --to-schema <schema> --script`
// would print for a SQLite schema, from Prisma's own schema engine in its Wasm build: the CLI needs the
// native schema-engine binary, which this offline test machine cannot download. The Wasm engine speaks
// SQLite (and PostgreSQL) through a driver adapter; it has no MySQL connector.
//   node schema-engine-diff.mjs <schema.prisma>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const enginePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
const bindings = await import(enginePath);
const { instance } = await WebAssembly.instantiate(
  readFileSync(enginePath.replace(/\.js$/, '.wasm')),
  { './schema_engine_bg.js': bindings },
);
bindings.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start?.();
// The engine reports Rust panics through this global before it traps.
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => process.stderr.write(`schema engine panic: ${message}\n`) };

const { PrismaBetterSqlite3 } = require('@prisma/adapter-better-sqlite3');
const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
const schemaPath = process.argv[2];
const engine = await bindings.SchemaEngine.new({ datamodels: undefined }, () => undefined,
  bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: ':memory:' })));
const result = await engine.diff({
  from: { tag: 'empty' },
  to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});
process.stdout.write(result.stdout ?? '');
