import { realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { check, SeqsyncError } from '../src';
import { createMysqlDatabase, type MysqlTestDatabase } from '../../../test-support/mysql-database';
import { installCoreFromSource, runNode, type InstalledCore } from './support/installed-core';

function withParameters(url: string, parameters: string): string {
  const parsed = new URL(url);
  parsed.search = parameters;
  return parsed.href;
}

/**
 * The mysql client's ?ssl-mode= (and libpq's ?sslmode=) on mysql:// URLs, which mysql2 does not know: it would warn
 * and connect in plain text even for REQUIRED. The local MariaDB has no TLS, so REQUIRED must fail.
 */
describe('ssl-mode in mysql:// URLs', () => {
  let db: MysqlTestDatabase;
  let project: InstalledCore;
  beforeAll(async () => {
    [db, project] = await Promise.all([createMysqlDatabase('ssl_mode'), installCoreFromSource('mysql-ssl-mode')]);
    await db.sql('CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY)');
    symlinkSync(realpathSync(join(__dirname, '..', 'node_modules', 'mysql2')), join(project.dir, 'node_modules', 'mysql2'), 'dir');
    project.write('modes.js', `const { check } = require('@seqsync/core');
(async () => {
  for (const url of process.argv.slice(2)) {
    await check(url).then((report) => console.log(\`\${report.dialect}: \${report.sequences.length}\`),
      (error) => console.log(\`\${error.code}: \${error.message}\`));
  }
})();
`);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it('REQUIRED (or require) against a server without TLS fails as a connection failure; DISABLED and PREFERRED connect in plain text',
    async () => {
      for (const parameters of ['ssl-mode=REQUIRED', 'sslmode=require']) {
        await expect(check(withParameters(db.url, parameters))).rejects.toMatchObject({ code: 'CONNECTION_FAILED',
          message: 'cannot connect to MySQL/MariaDB: Server does not support secure connection' });
      }
      for (const parameters of ['ssl-mode=DISABLED', 'ssl-mode=preferred']) {
        expect((await check(withParameters(db.url, parameters))).sequences.map((s) => s.sequence)).toEqual(['items']);
      }
    });

  it('an unknown ssl-mode, and a setting mysql2 cannot use, are INVALID_URL naming them', async () => {
    const rejected = await check(withParameters(db.url, 'ssl-mode=VERIFY')).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(SeqsyncError);
    expect(rejected).toMatchObject({ code: 'INVALID_URL',
      message: 'invalid ssl-mode "VERIFY" in the URL: expected DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY' });
    await expect(check(withParameters(db.url, 'ssl=true'))).rejects.toMatchObject({ code: 'INVALID_URL',
      message: 'invalid MySQL/MariaDB connection setting in the URL: SSL profile must be an object, instead it\'s a boolean' });
  });

  it('prints nothing of its own: no mysql2 warning about an unknown option', async () => {
    const { code, stdout, stderr } = await runNode(project.dir,
      ['modes.js', withParameters(db.url, 'ssl-mode=REQUIRED'), withParameters(db.url, 'ssl-mode=DISABLED')]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('CONNECTION_FAILED: cannot connect to MySQL/MariaDB: Server does not support secure connection\nmariadb: 1\n');
  });
});
