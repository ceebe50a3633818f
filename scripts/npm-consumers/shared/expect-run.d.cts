// Types for expect-run.cjs, so the TypeScript projects import it as they would any CommonJS module.
declare const run: {
  expectCheckRealignCheck(seqsync: unknown, db: unknown): Promise<void>;
};
export = run;
