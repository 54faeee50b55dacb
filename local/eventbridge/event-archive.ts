/**
 * An EventBridge archive: keeps every event of its bus that matches its pattern (all of them when it has none), for
 * a replay to send again. Replayed events are never archived a second time. Events older than RetentionDays are
 * dropped when the archive is read; 0 or no retention keeps them forever.
 */
import type { EventBridgeEvent } from './event-envelope';
import type { ArchiveModel } from './event-bus-model';

export interface ArchivedEvent {
  readonly event: EventBridgeEvent;
  /** Epoch ms when the bus received the event. */
  readonly receivedAt: number;
}

export class EventArchive {
  private readonly events: ArchivedEvent[] = [];
  private sizeBytes = 0;

  public constructor(
    public readonly model: ArchiveModel,
    /** When the archive was created (the runtime's start). */
    public readonly createdAt: Date,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps the event when it belongs here: its bus, not a replay, and matching the pattern. */
  public offer(busName: string, event: EventBridgeEvent, receivedAt: number): boolean {
    if (busName !== this.model.busName || event['replay-name'] !== undefined) return false;
    if (this.model.pattern && !this.model.pattern.matches(event)) return false;
    this.events.push({ event, receivedAt });
    this.sizeBytes += Buffer.byteLength(JSON.stringify(event), 'utf8');
    return true;
  }

  /** Archived events whose `time` falls in [start, end), oldest first. */
  public between(start: Date, end: Date): ArchivedEvent[] {
    this.expire();
    return this.events
      .filter(({ event }) => {
        const time = Date.parse(event.time);
        return time >= start.getTime() && time < end.getTime();
      })
      .sort((a, b) => Date.parse(a.event.time) - Date.parse(b.event.time) || a.receivedAt - b.receivedAt);
  }

  public get eventCount(): number {
    this.expire();
    return this.events.length;
  }

  public get size(): number {
    this.expire();
    return this.sizeBytes;
  }

  private expire(): void {
    const days = this.model.retentionDays ?? 0;
    if (days <= 0) return;
    const oldest = this.now() - days * 86_400_000;
    while (this.events.length > 0 && this.events[0].receivedAt < oldest) {
      const gone = this.events.shift();
      if (gone) this.sizeBytes -= Buffer.byteLength(JSON.stringify(gone.event), 'utf8');
    }
  }
}
