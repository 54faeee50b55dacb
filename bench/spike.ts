/**
 * `npm run bench:spike`: the spike family of `npm run bench` alone: the machine's end-to-end drain capacity C, then
 * asynchronous orders at 3 × C for 30 s with a few synchronous ones, the backlog drained and the queue-age alarms
 * back to OK, with progress as it goes. Its figures replace the spike section of `bench/report.md` / `report.html`;
 * the other sections keep their last saved results. Takes the same options as `npm run bench` (`--spike-factor`,
 * `--spike-seconds`, `--spike-sync-share`, `--capacity-orders`, `--quick`, `--out`).
 */
import { main } from './bench';

main('bench:spike', { families: ['spike'] });
