import type { ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from './typeorm-metadata';

/**
 * Tells, per inserted row, whether the INSERT sent a value for a sequence-fed column or let the
 * sequence fill it. TypeORM does not say which columns an INSERT carried, so the evidence is the value
 * itself: remembered before the INSERT, compared after TypeORM merged the RETURNING values back.
 *
 * - Sent (an `identity` column, or `.into(Entity, ['id', …])`): the row kept the application's value.
 * - Dropped (an `increment` column through `save()`/`insert()`/`.values()`): RETURNING overwrote it
 *   with the value the sequence handed out, so it differs, and the sequence is not behind.
 * - No value before the INSERT: the sequence filled it.
 *
 * Errs only towards realigning: with `updateEntity(false)` / `reload: false` a dropped value is not
 * overwritten and looks sent; a SQL-expression value (`() => '…'`) is treated as sent. Either way the
 * extra realign finds nothing to move.
 */
export class ExplicitKeyTracker {
  private readonly valuesBefore = new WeakMap<object, readonly unknown[]>();

  /** Call from `beforeInsert`, with the row object TypeORM will insert. */
  remember(row: ObjectLiteral | undefined, columns: readonly ColumnMetadata[]): void {
    if (row === undefined || row === null || typeof row !== 'object') return;
    this.valuesBefore.set(row, columns.map((column) => column.getEntityValue(row)));
  }

  /** Call from `afterInsert`, with the same row object. */
  carriedExplicitValue(row: ObjectLiteral | undefined, columns: readonly ColumnMetadata[]): boolean {
    if (row === undefined || row === null || typeof row !== 'object') return false;
    const before = this.valuesBefore.get(row);
    this.valuesBefore.delete(row);
    if (before === undefined) return false;
    return columns.some((column, index) => wasSent(before[index], column.getEntityValue(row)));
  }
}

function wasSent(before: unknown, after: unknown): boolean {
  if (before === undefined || before === null) return false;
  if (typeof before === 'function') return true;
  // int8 keys come back as strings while the application may have set numbers or bigints.
  return after !== undefined && after !== null && String(before) === String(after);
}
