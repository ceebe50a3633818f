import type { PrismaModelMetadata } from '../src/prisma-metadata';
import { modelsCreatedWithoutKeys, modelsGivenExplicitKeys } from '../src/explicit-keys';

const sequenced = (model: string, fieldName: string, relations: { field: string; model: string }[] = []): PrismaModelMetadata => ({
  model, table: model, schema: null, realign: true, reason: '',
  primaryKey: [{ field: fieldName, column: fieldName, type: 'Int', default: 'autoincrement' }],
  sequencedFields: [{ field: fieldName, column: fieldName }], relations,
});
const models = new Map<string, PrismaModelMetadata>([
  ['User', sequenced('User', 'id', [{ field: 'posts', model: 'Post' }, { field: 'profile', model: 'Profile' }])],
  ['Post', sequenced('Post', 'postId', [{ field: 'author', model: 'User' }])],
  ['Profile', sequenced('Profile', 'id')],
  ['Tag', { model: 'Tag', table: 'Tag', schema: null, realign: false, reason: '', primaryKey: [], sequencedFields: [], relations: [] }],
  ['Ledger', {
    ...sequenced('Ledger', 'number'),
    primaryKey: [{ field: 'code', column: 'code', type: 'String', default: 'none' }],
  }],
]);

describe('modelsGivenExplicitKeys', () => {
  test.each([
    ['create without id', 'User', 'create', { data: { email: 'a' } }, []],
    ['create with id', 'User', 'create', { data: { id: 5 } }, ['User']],
    ['create with id: undefined', 'User', 'create', { data: { id: undefined } }, []],
    ['createMany, one row of many with id', 'User', 'createMany', { data: [{ email: 'a' }, { id: 9 }] }, ['User']],
    ['createMany with a single object', 'User', 'createMany', { data: { id: 9 } }, ['User']],
    ['createManyAndReturn without ids', 'User', 'createManyAndReturn', { data: [{ email: 'a' }] }, []],
    ['upsert with id in create', 'User', 'upsert', { where: { id: 1 }, create: { id: 1 }, update: {} }, ['User']],
    ['upsert with id only in where', 'User', 'upsert', { where: { id: 1 }, create: { email: 'a' }, update: {} }, []],
    ['nested create with id', 'User', 'create', { data: { email: 'a', posts: { create: [{ postId: 3 }] } } }, ['Post']],
    ['nested createMany with id', 'User', 'create', { data: { posts: { createMany: { data: [{ postId: 3 }] } } } }, ['Post']],
    [
      'nested connectOrCreate with id',
      'Post',
      'create',
      { data: { author: { connectOrCreate: { where: { id: 2 }, create: { id: 2 } } } } },
      ['User'],
    ],
    ['two levels deep', 'User', 'create', { data: { id: 1, posts: { create: { author: { create: { id: 2 } } } } } }, ['User']],
    ['a model without sequence', 'Tag', 'createMany', { data: [{ slug: 'x' }] }, []],
    ['an unwatched operation', 'User', 'update', { data: { id: 5 } }, []],
  ])('%s', (_name, model, operation, args, expected) => {
    expect([...modelsGivenExplicitKeys(models, model, operation, args)].sort()).toEqual(expected);
  });
});

describe('modelsCreatedWithoutKeys (what a heal may realign)', () => {
  test.each([
    ['create without id', 'User', 'create', { data: { email: 'a' } }, ['User']],
    ['create with id: a duplicate of it is real', 'User', 'create', { data: { id: 5 } }, []],
    ['createMany, one row of many with id: the model is left out', 'User', 'createMany', { data: [{ email: 'a' }, { id: 9 }] }, []],
    ['upsert creating without id', 'User', 'upsert', { where: { id: 1 }, create: { email: 'a' }, update: {} }, ['User']],
    ['nested create without ids, parent and child', 'User', 'create', { data: { posts: { create: [{ title: 'x' }] } } }, ['Post', 'User']],
    ['parent with id, nested child without', 'User', 'create', { data: { id: 1, posts: { create: { title: 'x' } } } }, ['Post']],
    ['a model whose key no sequence feeds', 'Tag', 'createMany', { data: [{ slug: 'x' }] }, []],
    ['a sequence-fed field that is not the key', 'Ledger', 'create', { data: { code: 'a' } }, []],
    ['an unwatched operation', 'User', 'update', { data: { email: 'b' } }, []],
  ])('%s', (_name, model, operation, args, expected) => {
    expect([...modelsCreatedWithoutKeys(models, model, operation, args)].sort()).toEqual(expected);
  });
});
