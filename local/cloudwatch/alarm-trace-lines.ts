/** The trace lines of the alarms' state changes. */
import type { AlarmStateChange } from './alarm-evaluator';

/**
 * Formats alarm state changes as trace lines: `⏰ ALARM  name  OK → ALARM: Threshold Crossed: …`. Each alarm's first
 * INSUFFICIENT_DATA → OK (every quiet alarm's first evaluation) is left out: the startup line counts the alarms.
 */
export function alarmChangeFormatter(): (change: AlarmStateChange) => string | undefined {
  const settled = new Set<string>();
  return (change) => {
    const first = !settled.has(change.name);
    settled.add(change.name);
    if (first && change.from === 'INSUFFICIENT_DATA' && change.to === 'OK') return undefined;
    const kind = change.kind === 'composite' ? 'composite ' : '';
    return `⏰ ${change.to.padEnd(17)} ${kind}${change.name}  ${change.from} → ${change.to}: ${change.reason}`;
  };
}
