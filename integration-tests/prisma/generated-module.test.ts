import { execFile } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PrismaProject } from './support/prisma-project';
import { preparePrismaProject } from './support/prisma-project';

const TSC = [process.execPath, resolve(__dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc')];
/** The installed binary, as `npx tsx` runs it. */
const TSX = [resolve(__dirname, '..', 'node_modules', '.bin', 'tsx')];

/** The import line packages/prisma/README.md documents, from `src/` of a project whose generator output is `../generated/seqsync`. */
const IMPORT_LINE = "import { seqsyncMetadata } from '../generated/seqsync/index.js';";

/** The kinds of TypeScript project that import the generated module: the package type and the resolution settings. */
const KINDS = {
  'nodenext-esm': { type: 'module', module: 'nodenext', moduleResolution: 'nodenext' },
  'nodenext-cjs': { type: 'commonjs', module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { type: 'module', module: 'preserve', moduleResolution: 'bundler' },
} as const;
type Kind = keyof typeof KINDS;

function run([file, ...first]: readonly string[], args: readonly string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(file, [...first, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * `generator seqsync` writes `index.ts` into its output folder. Applications import it by file name with `.js`:
 * TypeScript resolves that to the `.ts` under nodenext (ESM and CommonJS) and bundler resolution, and tsx loads it.
 * Each project below is a folder with its own package.json and tsconfig.json, the generated folder beside `src/`,
 * typechecked by the repository's TypeScript (`tsc --noEmit`, libraries checked too) and run by tsx.
 */
describe('the generated metadata module, imported as the README says', () => {
  let project: PrismaProject;

  beforeAll(async () => {
    project = await preparePrismaProject('generated-module', null);
  });

  afterAll(async () => {
    await project?.remove();
  });

  /** A consumer project of that kind whose src/app.ts starts with `importLine`; returns its folder. */
  async function consumer(kind: Kind, importLine: string): Promise<string> {
    const dir = join(project.dir, `${kind}-${importLine.includes('index.js') ? 'file' : 'directory'}`);
    const { type, ...resolution } = KINDS[kind];
    await mkdir(join(dir, 'src'), { recursive: true });
    await cp(join(project.dir, 'generated', 'seqsync'), join(dir, 'generated', 'seqsync'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${kind}`, private: true, type }));
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { ...resolution, target: 'es2022', strict: true, noEmit: true, types: [], skipLibCheck: false },
      include: ['src'],
    }));
    await writeFile(join(dir, 'src', 'app.ts'), [
      importLine,
      "import { checkSequences, type PrismaSchemaMetadata } from '@seqsync/prisma';",
      '',
      'const metadata: PrismaSchemaMetadata = seqsyncMetadata;',
      'export const check = (prisma: Parameters<typeof checkSequences>[0]) => checkSequences(prisma, { metadata });',
      "console.log(metadata.models.filter((model) => model.realign).map((model) => model.model).join(' '));",
      '',
    ].join('\n'));
    return dir;
  }

  test.each(Object.keys(KINDS) as Kind[])('%s: the documented import typechecks (tsc --noEmit) and tsx runs it', async (kind) => {
    const dir = await consumer(kind, IMPORT_LINE);

    const [typecheck, execution] = await Promise.all([run(TSC, ['-p', dir], dir), run(TSX, ['src/app.ts'], dir)]);

    expect(typecheck).toEqual({ code: 0, output: '' });
    expect(execution).toEqual({ code: 0, output: 'User BlogPost Invoice AuditEvent\n' });
  });

  test('nodenext-esm: the directory import of the generated folder fails with TS2834, which is why the README names the file', async () => {
    const dir = await consumer('nodenext-esm', "import { seqsyncMetadata } from '../generated/seqsync';");

    const typecheck = await run(TSC, ['-p', dir], dir);

    expect(typecheck.code).toBe(2);
    expect(typecheck.output).toContain('src/app.ts(1,33): error TS2834: Relative import paths need explicit file extensions');
  });
});
