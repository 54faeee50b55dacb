import * as path from 'node:path';
import { startEmulatorWorker } from '../../../../local/shared/emulator-worker';

describe('an emulator in a worker thread', () => {
  it('reports an error its worker throws once started, instead of ending the process', async () => {
    // Prepare
    const reported: string[] = [];

    // Act
    const { worker, port } = await startEmulatorWorker({
      program: path.join(__dirname, 'fixtures', 'failing-emulator.mjs'),
      workerData: {},
      startTimeoutMs: 5_000,
      name: 'fauxqs',
      startError: (message) => new Error(message),
      onError: (message) => reported.push(message),
    });
    const exitCode = await new Promise<number>((resolve) => worker.once('exit', resolve));

    // Assess
    expect(port).toBe(1234);
    expect(exitCode).toBe(1);
    expect(reported).toEqual(["fauxqs's worker failed: the emulator broke; it answers nothing more until the runtime restarts"]);
  });
});
