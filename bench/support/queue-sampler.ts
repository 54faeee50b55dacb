/**
 * Samples the depth of every queue of the template in the background while a scenario runs: the series its report
 * charts, and the latest depths for its progress lines.
 */
import type { BenchShop } from './bench-shop';
import type { QueueSample } from './results';
import { queueShortName, sleep } from './scenario-context';

export class QueueSampler {
  /** Seconds from `zeroMs`, and the queues that held any messages then. */
  readonly samples: QueueSample[] = [];
  /** The last sample, every queue, by logical id. */
  latest: ReadonlyMap<string, number> = new Map();
  private sampling = true;
  private readonly loop: Promise<void>;

  /** Starts sampling `shop`'s queues every `everyMs`, timed from `zeroMs` (epoch ms). */
  constructor(shop: BenchShop, zeroMs: number, everyMs: number) {
    const now = () => performance.timeOrigin + performance.now();
    this.loop = (async () => {
      while (this.sampling) {
        const depths = await shop.queueDepths();
        this.latest = depths;
        this.samples.push({ seconds: (now() - zeroMs) / 1000, depths: Object.fromEntries([...depths].filter(([, n]) => n > 0).map(([q, n]) => [queueShortName(q), n])) });
        await sleep(everyMs);
      }
    })();
  }

  /** Stops after the sample under way; rejects if a sample failed. */
  stop(): Promise<void> {
    this.sampling = false;
    return this.loop;
  }
}
