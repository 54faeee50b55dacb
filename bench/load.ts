/**
 * `npm run bench:load`: the load family of `npm run bench` alone: 200 orders/s for 60 s on the local runtime, open
 * loop, then every queue drained and every order in a final state, with progress as it goes. Its figures replace
 * the load section of `bench/report.md` / `report.html`; the other sections keep their last saved results.
 * Takes the same options as `npm run bench` (`--load-rate`, `--load-seconds`, `--sync-share`, `--quick`, `--out`).
 */
import { main } from './bench';

main('bench:load', { families: ['load'] });
