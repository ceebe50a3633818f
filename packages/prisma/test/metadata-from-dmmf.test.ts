import type { DmmfFieldLike, DmmfModelLike } from '../src/from-dmmf';
import { metadataFromDmmf } from '../src/from-dmmf';

const field = (name: string, type: string, extra: Partial<DmmfFieldLike> = {}): DmmfFieldLike =>
  ({ name, kind: 'scalar', type, isId: false, ...extra });
const model = (name: string, fields: DmmfFieldLike[], extra: Partial<DmmfModelLike> = {}): DmmfModelLike =>
  ({ name, dbName: null, schema: null, fields, primaryKey: null, ...extra });
const auto = { name: 'autoincrement', args: [] };

function only(m: DmmfModelLike, provider = 'postgresql') {
  return metadataFromDmmf({ datamodel: { models: [m] } }, provider).models[0];
}

describe('metadataFromDmmf', () => {
  test.each([
    ['Int @id autoincrement()', model('User', [field('id', 'Int', { isId: true, default: auto })]),
      true, 'Int id "id" (column "id") is filled by autoincrement()'],
    ['@map on the key column',
      model('BlogPost', [field('postId', 'Int', { isId: true, dbName: 'post_id', default: auto })], { dbName: 'blog_posts' }),
      true, 'Int id "postId" (column "post_id") is filled by autoincrement()'],
    ['BigInt autoincrement()', model('Event', [field('id', 'BigInt', { isId: true, default: auto })]),
      true, 'BigInt id "id" (column "id") is filled by autoincrement()'],
    ['dbgenerated nextval()',
      model('Legacy', [field('id', 'Int', { isId: true, default: { name: 'dbgenerated', args: ["nextval('legacy_seq'::regclass)"] } })]),
      true, 'Int id "id" (column "id") is filled by dbgenerated("nextval(\'legacy_seq\'::regclass)")'],
    ['composite @@id',
      model('Membership', [field('userId', 'Int'), field('groupId', 'Int')], { primaryKey: { fields: ['userId', 'groupId'] } }),
      false, 'composite primary key (userId, groupId) has no sequence'],
    ['String id, no default', model('Tag', [field('slug', 'String', { isId: true })]),
      false, 'String id "slug" has no @default: the application supplies every value, no sequence'],
    ['String id @default(uuid())', model('Doc', [field('id', 'String', { isId: true, default: { name: 'uuid', args: [4] } })]),
      false, 'String id "id" defaults to uuid(): no sequence'],
    ['Int id without default', model('Country', [field('code', 'Int', { isId: true })]),
      false, 'Int id "code" has no @default: the application supplies every value, no sequence'],
    ['String id plus a serial column', model('Ticket', [field('ref', 'String', { isId: true }), field('number', 'Int', { default: auto })]),
      true, 'sequence-fed field number'],
  ])('%s', (_name, input, realign, reason) => {
    const metadata = only(input);
    expect(metadata.realign).toBe(realign);
    expect(metadata.reason).toBe(reason);
  });

  test('table is @@map or the model name with its case; schema is @@schema or null', () => {
    expect(only(model('User', [], { schema: 'public' }))).toMatchObject({ table: 'User', schema: 'public' });
    expect(only(model('BlogPost', [], { dbName: 'blog_posts' }))).toMatchObject({ table: 'blog_posts', schema: null });
  });

  test('on CockroachDB autoincrement() is unique_rowid(), not a sequence, while sequence() is', () => {
    const rowid = only(model('User', [field('id', 'BigInt', { isId: true, default: auto })]), 'cockroachdb');
    const sequence = only(model('User', [field('id', 'BigInt', { isId: true, default: { name: 'sequence', args: [] } })]), 'cockroachdb');

    expect(rowid).toMatchObject({ realign: false, primaryKey: [{ default: 'other' }] });
    expect(rowid.reason).toContain('unique_rowid() on CockroachDB');
    expect(sequence).toMatchObject({
      realign: true,
      primaryKey: [{ default: 'sequence' }],
      sequencedFields: [{ field: 'id', column: 'id' }],
    });
  });

  test('on SQLite an Int autoincrement() key has a counter, a BigInt one (created as BIGINT PRIMARY KEY) has none', () => {
    const int = only(model('User', [field('id', 'Int', { isId: true, default: auto })]), 'sqlite');
    const bigint = only(model('AuditEvent', [field('id', 'BigInt', { isId: true, default: auto })]), 'sqlite');

    expect(int).toMatchObject({ realign: true, primaryKey: [{ default: 'autoincrement' }] });
    expect(bigint).toMatchObject({ realign: false, primaryKey: [{ default: 'other' }], sequencedFields: [] });
    expect(bigint.reason).toBe('BigInt id "id" uses autoincrement(), which Prisma creates as BIGINT PRIMARY KEY on SQLite: '
      + 'not the rowid, no counter (use Int)');
  });

  test.each([
    ['nextval(`ticket_seq`)'],
    ['NEXT VALUE FOR ticket_seq'],
  ])('on MariaDB dbgenerated("%s") is a sequence-fed key', (expression) => {
    const ticket = only(
      model('Ticket', [field('id', 'Int', { isId: true, default: { name: 'dbgenerated', args: [expression] } })]),
      'mysql',
    );

    expect(ticket).toMatchObject({ realign: true, primaryKey: [{ default: 'nextval' }], sequencedFields: [{ field: 'id', column: 'id' }] });
  });

  test('relation fields are kept for following nested writes', () => {
    const user = only(model('User', [
      field('id', 'Int', { isId: true, default: auto }),
      { name: 'posts', kind: 'object', type: 'BlogPost', isId: false },
    ]));
    expect(user.relations).toEqual([{ field: 'posts', model: 'BlogPost' }]);
  });

  test('a reduced DMMF without key information (Prisma 7\'s Prisma.dmmf) is refused, pointing at the generator', () => {
    const reduced = { datamodel: { models: [{ name: 'User', dbName: null, fields: [{ name: 'id', kind: 'scalar', type: 'Int' }] }] } };

    expect(() => metadataFromDmmf(reduced as never, 'postgresql')).toThrow(expect.objectContaining({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('generator seqsync'),
    }));
  });
});
