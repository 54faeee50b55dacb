import { TableLocks } from '../../../../local/dynamodb/table-locks';
import { settle, Work } from './gated-work';

describe('TableLocks', () => {
  it('lets a request to another table run while a transaction holds its tables', async () => {
    // Prepare
    const locks = new TableLocks();
    const [transaction, otherTable] = [new Work(), new Work()];

    // Act
    const done = Promise.all([locks.exclusive(['stock', 'reservations'], transaction.run), locks.shared(['products'], otherTable.run)]);
    await settle();

    // Assess
    expect([transaction.started, otherTable.started]).toEqual([true, true]);
    transaction.finish();
    otherTable.finish();
    await done;
  });

  it('makes a request to a table of a transaction wait for the transaction', async () => {
    // Prepare
    const locks = new TableLocks();
    const [transaction, sameTable] = [new Work(), new Work()];

    // Act
    const transacting = locks.exclusive(['stock', 'reservations'], transaction.run);
    const reading = locks.shared(['reservations'], sameTable.run);
    await settle();

    // Assess
    expect(sameTable.started).toBe(false);
    transaction.finish();
    await transacting;
    await settle();
    expect(sameTable.started).toBe(true);
    sameTable.finish();
    await reading;
  });

  it('never deadlocks two transactions that name the same tables in opposite orders', async () => {
    // Prepare
    const locks = new TableLocks();
    const [first, second] = [new Work(), new Work()];

    // Act
    const both = Promise.all([locks.exclusive(['a', 'b'], first.run), locks.exclusive(['b', 'a'], second.run)]);
    await settle();

    // Assess: one runs, the other waits for it, then runs
    expect([first.started, second.started]).toEqual([true, false]);
    first.finish();
    await settle();
    await settle();
    expect(second.started).toBe(true);
    second.finish();
    await both;
  });

  it('runs work that names no table at once', async () => {
    const locks = new TableLocks();
    await expect(locks.exclusive([], async () => 'ran')).resolves.toBe('ran');
  });
});
