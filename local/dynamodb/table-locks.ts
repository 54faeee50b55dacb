/**
 * One readers/writer lock per DynamoDB table, for the edge's emulated transactions: a request holds its tables'
 * locks shared, a transaction holds its tables' locks exclusively. A transaction is then isolated from every request
 * to the tables it touches (serializable, as AWS isolates transactions from standard reads and writes of their items),
 * while requests to other tables go on. One lock for all tables, as before, made every request of every function
 * wait behind each transaction.
 *
 * Several locks are always taken in table-name order, each lock serving its waiters first come first served, so two
 * requests can never wait for each other.
 */
import { ReadersWriterLock } from './readers-writer-lock';

export class TableLocks {
  private readonly locks = new Map<string, ReadersWriterLock>();

  /** Runs `work` holding every table of `tables` shared (alongside other shared holders). */
  shared<T>(tables: readonly string[], work: () => Promise<T>): Promise<T> {
    return this.run('shared', ordered(tables), 0, work);
  }

  /** Runs `work` holding every table of `tables` exclusively (no other holder of those tables meanwhile). */
  exclusive<T>(tables: readonly string[], work: () => Promise<T>): Promise<T> {
    return this.run('exclusive', ordered(tables), 0, work);
  }

  private run<T>(mode: 'shared' | 'exclusive', tables: readonly string[], index: number, work: () => Promise<T>): Promise<T> {
    if (index === tables.length) return work();
    const lock = this.lockOf(tables[index]);
    const rest = () => this.run(mode, tables, index + 1, work);
    return mode === 'shared' ? lock.shared(rest) : lock.exclusive(rest);
  }

  private lockOf(table: string): ReadersWriterLock {
    let lock = this.locks.get(table);
    if (!lock) this.locks.set(table, (lock = new ReadersWriterLock()));
    return lock;
  }
}

/** Distinct, sorted: the one order every caller takes locks in. */
function ordered(tables: readonly string[]): string[] {
  return [...new Set(tables)].sort();
}
