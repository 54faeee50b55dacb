import * as path from 'node:path';
import { startEmulatorWorker, stopEmulatorWorker, workerCpuMs } from '../../../../local/shared/emulator-worker';

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

  it('answers 0 ms of CPU for a worker whose thread has ended, and stops it without asking it anything', async () => {
    // Prepare: a worker that started, then died of an error nothing caught
    const { worker } = await startEmulatorWorker({
      program: path.join(__dirname, 'fixtures', 'failing-emulator.mjs'),
      workerData: {},
      startTimeoutMs: 5_000,
      name: 'fauxqs',
      startError: (message) => new Error(message),
      onError: () => undefined,
    });
    await new Promise((resolve) => worker.once('exit', resolve));
    const posted = jest.spyOn(worker, 'postMessage');

    // Act
    const cpuMs = await workerCpuMs(worker);
    await stopEmulatorWorker(worker);

    // Assess: Node's cpuUsage() would reject (ERR_WORKER_NOT_RUNNING), and a `stop` would wait for an exit already past
    expect(cpuMs).toBe(0);
    expect(posted).not.toHaveBeenCalled();
  });
});
