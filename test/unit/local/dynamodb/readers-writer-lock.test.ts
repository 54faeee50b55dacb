import { ReadersWriterLock } from '../../../../local/dynamodb/readers-writer-lock';
import { settle, Work } from './gated-work';

describe('ReadersWriterLock', () => {
  it('runs shared holders together', async () => {
    // Prepare
    const lock = new ReadersWriterLock();
    const [first, second] = [new Work(), new Work()];

    // Act
    const done = Promise.all([lock.shared(first.run), lock.shared(second.run)]);
    await settle();

    // Assess
    expect([first.started, second.started]).toEqual([true, true]);
    first.finish();
    second.finish();
    await expect(done).resolves.toEqual(['done', 'done']);
  });

  it('runs an exclusive holder alone, after the shared holders before it', async () => {
    // Prepare
    const lock = new ReadersWriterLock();
    const [reader, writer] = [new Work(), new Work()];

    // Act
    const reading = lock.shared(reader.run);
    const writing = lock.exclusive(writer.run);
    await settle();

    // Assess
    expect(writer.started).toBe(false);
    reader.finish();
    await reading;
    await settle();
    expect(writer.started).toBe(true);
    writer.finish();
    await writing;
  });

  it('makes a reader that arrives after a waiting writer wait for it, so writers are not starved', async () => {
    // Prepare
    const lock = new ReadersWriterLock();
    const [early, writer, late] = [new Work(), new Work(), new Work()];

    // Act
    const all = Promise.all([lock.shared(early.run), lock.exclusive(writer.run), lock.shared(late.run)]);
    await settle();

    // Assess
    expect([early.started, writer.started, late.started]).toEqual([true, false, false]);
    early.finish();
    await settle();
    expect([writer.started, late.started]).toEqual([true, false]);
    writer.finish();
    await settle();
    expect(late.started).toBe(true);
    late.finish();
    await all;
  });

  it('runs exclusive holders one at a time', async () => {
    // Prepare
    const lock = new ReadersWriterLock();
    const [first, second] = [new Work(), new Work()];

    // Act
    const all = Promise.all([lock.exclusive(first.run), lock.exclusive(second.run)]);
    await settle();

    // Assess
    expect([first.started, second.started]).toEqual([true, false]);
    first.finish();
    await settle();
    expect(second.started).toBe(true);
    second.finish();
    await all;
  });

  it('releases the lock when the work fails', async () => {
    // Prepare
    const lock = new ReadersWriterLock();

    // Act
    const failed = lock.exclusive(async () => {
      throw new Error('boom');
    });

    // Assess
    await expect(failed).rejects.toThrow('boom');
    await expect(lock.exclusive(async () => 'after')).resolves.toBe('after');
  });
});
