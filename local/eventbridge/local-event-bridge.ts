/**
 * EventBridge, served by the local runtime: the buses, rules, targets and archives of the template, PutEvents with
 * AWS's validation and per-entry results, rule matching with the full pattern language, asynchronous delivery with
 * retry policy and DLQ (see `target-delivery.ts`), archives and replays, TestEventPattern and the read-only API the
 * SDK and CLI use to look around (DescribeEventBus, ListEventBuses, ListRules, DescribeRule, ListTargetsByRule,
 * DescribeArchive, ListArchives, StartReplay, DescribeReplay, ListReplays).
 *
 * Buses, rules and archives come from the template only: the Put/Delete API that would change them is not served.
 * Scheduled rules are listed but never fire.
 */
import { EventArchive } from './event-archive';
import type { EventBridgeModel, EventBusModel, RuleModel, RuleTargetModel } from './event-bus-model';
import { busNameOf } from './event-bus-model';
import type { EventBridgeEvent, PutEventsRequestEntry } from './event-envelope';
import { entryError, toEvent, validatePutEventsRequest } from './event-envelope';
import { EventPattern } from './event-pattern';
import { EventBridgeApiError, TargetDeliveryError } from './eventbridge-errors';
import type { PutEventsFault } from './put-events-fault';
import { parsePutEventsFault } from './put-events-fault';
import type { DeliveryReport, DeliveryTiming, TargetPorts } from './target-delivery';
import { TargetDeliverer } from './target-delivery';
import { defaultTargetLabel, formatDelivery, formatPublish } from './trace-lines';

export interface LocalEventBridgeOptions {
  readonly model: EventBridgeModel;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** How deliveries reach SQS, Kinesis and Lambda. */
  readonly ports: TargetPorts;
  /**
   * Retry backoff of failed deliveries (scaled down from AWS's; see `target-delivery.ts`).
   *
   * @default - 100 ms doubling up to 2 s, full jitter
   */
  readonly timing?: DeliveryTiming;
  /**
   * Where trace lines go: one per PutEvents call, per delivery outcome and per replay.
   *
   * @default - nothing is printed
   */
  readonly log?: (line: string) => void;
  /**
   * How a target is named in trace lines.
   *
   * @default - the resource name of its ARN
   */
  readonly targetLabel?: (arn: string) => string;
  /**
   * Told of each event a PutEvents call or a replay put on a bus, once the call is answered.
   *
   * @default - nobody is told
   */
  readonly onPublished?: (event: PublishedEvent) => void;
  /**
   * Receives each delivery outcome (what its trace line prints), with the target's label.
   *
   * @default - nobody is told
   */
  readonly onDelivery?: (report: DeliveryReport, targetLabel: string) => void;
  /**
   * The clock, in epoch ms.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

/** One event a PutEvents call (or a replay) put on a bus. */
export interface PublishedEvent {
  readonly busName: string;
  readonly eventId: string;
  readonly source: string;
  readonly detailType: string;
  /** `performance.now()` when the call began: deliveries count from it. */
  readonly putAt: number;
  /** How long the whole call took. */
  readonly durationMs: number;
  /** Set for a replayed event. */
  readonly replayName?: string;
  /** The event's detail as put on the bus (the same object, not a copy). */
  readonly detail?: unknown;
}

export interface PutEventsResultEntry {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

export interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: readonly PutEventsResultEntry[];
}

export interface TargetDescription {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Readonly<Record<string, string>>; readonly InputTemplate: string };
  readonly RetryPolicy: { readonly MaximumRetryAttempts: number; readonly MaximumEventAgeInSeconds: number };
  readonly DeadLetterConfig?: { readonly Arn: string };
  readonly KinesisParameters?: { readonly PartitionKeyPath: string };
  readonly SqsParameters?: { readonly MessageGroupId: string };
  readonly RoleArn?: string;
}

export interface RuleDescription {
  readonly Name: string;
  readonly Arn: string;
  readonly EventPattern?: string;
  readonly ScheduleExpression?: string;
  readonly State: string;
  readonly Description?: string;
  readonly EventBusName: string;
}

export interface ArchiveDescription {
  readonly ArchiveName: string;
  readonly ArchiveArn: string;
  readonly EventSourceArn: string;
  readonly Description?: string;
  readonly EventPattern?: string;
  readonly State: 'ENABLED';
  readonly RetentionDays: number;
  readonly SizeBytes: number;
  readonly EventCount: number;
  readonly CreationTime: Date;
}

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface StartReplayInput {
  readonly ReplayName?: string;
  readonly Description?: string;
  readonly EventSourceArn?: string;
  readonly EventStartTime?: Date;
  readonly EventEndTime?: Date;
  readonly Destination?: { readonly Arn?: string; readonly FilterArns?: readonly string[] };
}

export interface ReplayDescription {
  readonly ReplayName: string;
  readonly ReplayArn: string;
  readonly Description?: string;
  readonly State: ReplayState;
  readonly StateReason?: string;
  readonly EventSourceArn: string;
  readonly Destination: { readonly Arn: string; readonly FilterArns?: readonly string[] };
  readonly EventStartTime: Date;
  readonly EventEndTime: Date;
  readonly EventLastReplayedTime?: Date;
  readonly ReplayStartTime: Date;
  readonly ReplayEndTime?: Date;
}

interface Replay {
  description: ReplayDescription;
}

export class LocalEventBridge {
  private readonly buses: readonly EventBusModel[];
  private readonly rules: readonly RuleModel[];
  private readonly archives: readonly EventArchive[];
  private readonly replays = new Map<string, Replay>();
  private readonly deliverer: TargetDeliverer;
  private readonly replayTimers = new Set<NodeJS.Timeout>();
  private readonly createdAt: Date;
  private fault: { readonly spec: PutEventsFault; remaining: number | undefined } | undefined;

  public constructor(private readonly options: LocalEventBridgeOptions) {
    this.buses = options.model.buses;
    this.rules = options.model.rules;
    this.createdAt = new Date(this.now());
    this.archives = options.model.archives.map((model) => new EventArchive(model, this.createdAt, () => this.now()));
    this.deliverer = new TargetDeliverer(options.ports, {
      ...(options.timing ? { timing: options.timing } : {}),
      putToBus: async (busArn, event) => this.forward(busArn, event),
      now: () => this.now(),
      onReport: (report) => {
        this.log(formatDelivery(report, options.targetLabel));
        options.onDelivery?.(report, (options.targetLabel ?? defaultTargetLabel)(report.job.target.arn));
      },
    });
  }

  // ---- PutEvents -----------------------------------------------------------------------------------------------

  /**
   * Validates the request (a bad request throws EventBridgeApiError), answers per entry, and delivers each accepted
   * event to the targets of every enabled rule of its bus that matches, after answering.
   */
  public putEvents(input: { readonly Entries?: unknown }): PutEventsResponse {
    const started = performance.now();
    const entries = input.Entries;
    validatePutEventsRequest(entries);
    const results: PutEventsResultEntry[] = [];
    const byBus = new Map<string, { accepted: { source: string; detailType: string }[]; failed: { errorCode: string }[]; matched: number }>();
    const tally = (bus: string) => {
      let entry = byBus.get(bus);
      if (!entry) byBus.set(bus, (entry = { accepted: [], failed: [], matched: 0 }));
      return entry;
    };
    let injected = 0;
    const published: { busName: string; event: EventBridgeEvent }[] = [];
    for (const entry of entries) {
      let problem = entryError(entry);
      const busName = busNameOf(typeof entry?.EventBusName === 'string' ? entry.EventBusName : 'default');
      problem ??= this.busError(busName);
      if (!problem) {
        problem = this.injectedError(entry, injected);
        if (problem) injected++;
      }
      if (problem) {
        results.push(problem);
        tally(busName).failed.push({ errorCode: problem.ErrorCode });
        continue;
      }
      const event = toEvent(entry, { region: this.options.region, accountId: this.options.accountId, now: new Date(this.now()) });
      tally(busName).matched += this.ingest(busName, event, started, true);
      tally(busName).accepted.push({ source: event.source, detailType: event['detail-type'] });
      published.push({ busName, event });
      results.push({ EventId: event.id });
    }
    if (injected > 0 && this.fault?.remaining !== undefined && --this.fault.remaining <= 0) this.fault = undefined;
    const durationMs = Math.round(performance.now() - started);
    for (const [busName, report] of byBus) {
      this.log(formatPublish({ busName, accepted: report.accepted, failed: report.failed, matchedRules: report.matched, durationMs }));
    }
    for (const { busName, event } of published) {
      this.options.onPublished?.({ busName, eventId: event.id, source: event.source, detailType: event['detail-type'], putAt: started, durationMs, detail: event.detail });
    }
    const failed = results.filter((r) => r.ErrorCode !== undefined).length;
    return { FailedEntryCount: failed, Entries: results };
  }

  /** Makes chosen PutEvents entries fail (see PutEventsFault); undefined clears the fault. */
  public setPutEventsFault(fault: PutEventsFault | undefined): void {
    if (fault === undefined) {
      this.fault = undefined;
      return;
    }
    const spec = parsePutEventsFault(fault);
    this.fault = { spec, remaining: spec.requests };
  }

  public get putEventsFault(): PutEventsFault | undefined {
    return this.fault?.spec;
  }

  /** TestEventPattern: `{ Result }`, InvalidEventPatternException for a bad pattern, ValidationException for a bad event. */
  public testEventPattern(input: { readonly EventPattern?: unknown; readonly Event?: unknown }): { Result: boolean } {
    if (typeof input.EventPattern !== 'string') {
      throw EventBridgeApiError.validation("1 validation error detected: Value null at 'eventPattern' failed to satisfy constraint: Member must not be null");
    }
    if (typeof input.Event !== 'string') {
      throw EventBridgeApiError.validation("1 validation error detected: Value null at 'event' failed to satisfy constraint: Member must not be null");
    }
    let pattern: EventPattern;
    try {
      pattern = EventPattern.compile(input.EventPattern);
    } catch (error) {
      throw new EventBridgeApiError('InvalidEventPatternException', (error as Error).message);
    }
    let event: unknown;
    try {
      event = JSON.parse(input.Event);
    } catch {
      throw EventBridgeApiError.validation('Parameter Event is not valid.');
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) throw EventBridgeApiError.validation('Parameter Event is not valid.');
    for (const field of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
      if (!(field in event)) throw EventBridgeApiError.validation('Parameter Event is not valid.');
    }
    return { Result: pattern.matches(event) };
  }

  // ---- buses, rules, targets -------------------------------------------------------------------------------------

  public describeEventBus(input: { readonly Name?: string }): { Name: string; Arn: string; Description?: string; CreationTime: Date } {
    const bus = this.bus(busNameOf(input.Name ?? 'default'));
    return { Name: bus.name, Arn: bus.arn, ...(bus.description ? { Description: bus.description } : {}), CreationTime: this.createdAt };
  }

  public listEventBuses(input: { readonly NamePrefix?: string }): { EventBuses: { Name: string; Arn: string }[] } {
    return {
      EventBuses: this.buses.filter((bus) => bus.name.startsWith(input.NamePrefix ?? '')).map((bus) => ({ Name: bus.name, Arn: bus.arn })),
    };
  }

  public listRules(input: { readonly EventBusName?: string; readonly NamePrefix?: string }): { Rules: RuleDescription[] } {
    const busName = this.bus(busNameOf(input.EventBusName ?? 'default')).name;
    return {
      Rules: this.rules.filter((rule) => rule.busName === busName && rule.name.startsWith(input.NamePrefix ?? '')).map(describeRule),
    };
  }

  public describeRule(input: { readonly Name?: string; readonly EventBusName?: string }): RuleDescription {
    return describeRule(this.rule(input.Name, input.EventBusName));
  }

  public listTargetsByRule(input: { readonly Rule?: string; readonly EventBusName?: string }): { Targets: TargetDescription[] } {
    return { Targets: this.rule(input.Rule, input.EventBusName).targets.map(describeTarget) };
  }

  // ---- archives and replays --------------------------------------------------------------------------------------

  public describeArchive(input: { readonly ArchiveName?: string }): ArchiveDescription {
    return describeArchive(this.archive(input.ArchiveName));
  }

  public listArchives(input: { readonly NamePrefix?: string; readonly EventSourceArn?: string; readonly State?: string }): {
    Archives: Omit<ArchiveDescription, 'ArchiveArn' | 'Description' | 'EventPattern'>[];
  } {
    const archives = this.archives.filter(
      (a) =>
        a.model.name.startsWith(input.NamePrefix ?? '') &&
        (input.EventSourceArn === undefined || a.model.sourceArn === input.EventSourceArn) &&
        (input.State === undefined || input.State === 'ENABLED'),
    );
    return {
      Archives: archives.map((archive) => {
        const { ArchiveName, EventSourceArn, State, RetentionDays, SizeBytes, EventCount, CreationTime } = describeArchive(archive);
        return { ArchiveName, EventSourceArn, State, RetentionDays, SizeBytes, EventCount, CreationTime };
      }),
    };
  }

  /**
   * Re-sends the archived events whose time is in [EventStartTime, EventEndTime) to the rules of the destination bus
   * (the archive's own bus, as AWS requires; only the rules in FilterArns when given), each with `replay-name` set.
   * Answers at once in state STARTING; the replay runs in the background to COMPLETED.
   */
  public startReplay(input: StartReplayInput): { ReplayArn: string; State: ReplayState; ReplayStartTime: Date } {
    const name = input.ReplayName;
    if (!name) throw EventBridgeApiError.validation("1 validation error detected: Value null at 'replayName' failed to satisfy constraint: Member must not be null");
    if (this.replays.has(name)) throw new EventBridgeApiError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    const archive = this.archives.find((a) => a.model.arn === input.EventSourceArn);
    if (!archive) throw EventBridgeApiError.validation(`Parameter EventSourceArn is not valid. Reason: Archive ${input.EventSourceArn ?? '(none)'} does not exist.`);
    const start = input.EventStartTime;
    const end = input.EventEndTime;
    if (!(start instanceof Date) || !(end instanceof Date)) throw EventBridgeApiError.validation('Parameter EventStartTime and EventEndTime are required.');
    if (start.getTime() >= end.getTime()) throw EventBridgeApiError.validation('Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    if (end.getTime() > this.now()) throw EventBridgeApiError.validation('Parameter EventEndTime is not valid. Reason: EventEndTime must not be in the future.');
    const destinationArn = input.Destination?.Arn;
    const bus = this.buses.find((b) => b.arn === destinationArn);
    if (!bus) throw EventBridgeApiError.validation(`Parameter Destination.Arn is not valid. Reason: Event bus ${destinationArn ?? '(none)'} does not exist.`);
    if (bus.name !== archive.model.busName) {
      throw EventBridgeApiError.validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    }
    const filterArns = input.Destination?.FilterArns;
    for (const ruleArn of filterArns ?? []) {
      if (!this.rules.some((rule) => rule.arn === ruleArn && rule.busName === bus.name)) {
        throw EventBridgeApiError.validation(`Parameter Destination.FilterArns is not valid. Reason: Rule ${ruleArn} does not exist on ${bus.name}.`);
      }
    }
    const replayStartTime = new Date(this.now());
    const replay: Replay = {
      description: {
        ReplayName: name,
        ReplayArn: `arn:${this.options.partition}:events:${this.options.region}:${this.options.accountId}:replay/${name}`,
        ...(input.Description ? { Description: input.Description } : {}),
        State: 'STARTING',
        EventSourceArn: archive.model.arn,
        Destination: { Arn: bus.arn, ...(filterArns && filterArns.length > 0 ? { FilterArns: [...filterArns] } : {}) },
        EventStartTime: start,
        EventEndTime: end,
        ReplayStartTime: replayStartTime,
      },
    };
    this.replays.set(name, replay);
    const timer = setTimeout(() => {
      this.replayTimers.delete(timer);
      this.runReplay(replay, archive, bus);
    }, 0);
    this.replayTimers.add(timer);
    return { ReplayArn: replay.description.ReplayArn, State: 'STARTING', ReplayStartTime: replayStartTime };
  }

  public describeReplay(input: { readonly ReplayName?: string }): ReplayDescription {
    const replay = this.replays.get(input.ReplayName ?? '');
    if (!replay) throw EventBridgeApiError.notFound(`Replay ${input.ReplayName ?? ''} does not exist.`);
    return { ...replay.description };
  }

  public listReplays(input: { readonly NamePrefix?: string; readonly State?: string; readonly EventSourceArn?: string }): { Replays: ReplayDescription[] } {
    return {
      Replays: [...this.replays.values()]
        .map((r) => r.description)
        .filter(
          (d) =>
            d.ReplayName.startsWith(input.NamePrefix ?? '') &&
            (input.State === undefined || d.State === input.State) &&
            (input.EventSourceArn === undefined || d.EventSourceArn === input.EventSourceArn),
        ),
    };
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------------

  /** Deliveries scheduled or running (retries waiting included). */
  public get pendingDeliveries(): number {
    return this.deliverer.pendingCount;
  }

  /** Resolves once every delivery (retries included) and replay has finished. */
  public async settled(): Promise<void> {
    while (this.replayTimers.size > 0 || this.deliverer.pendingCount > 0) {
      if (this.replayTimers.size > 0) await new Promise((resolve) => setTimeout(resolve, 1));
      await this.deliverer.settled();
    }
  }

  /** Cancels pending retries and replays; nothing is delivered afterwards. */
  public stop(): void {
    for (const timer of this.replayTimers) clearTimeout(timer);
    this.replayTimers.clear();
    this.deliverer.stop();
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  /** Archives the event (unless replayed) and hands it to the targets of each matching rule; returns the match count. */
  private ingest(busName: string, event: EventBridgeEvent, putAt: number, archive: boolean, onlyRules?: readonly string[]): number {
    const receivedAt = this.now();
    if (archive) for (const a of this.archives) a.offer(busName, event, receivedAt);
    let matched = 0;
    for (const rule of this.rules) {
      if (rule.busName !== busName || rule.state === 'DISABLED' || !rule.pattern) continue;
      if (onlyRules && !onlyRules.includes(rule.arn)) continue;
      if (!rule.pattern.matches(event)) continue;
      matched++;
      for (const target of rule.targets) this.deliverer.deliver({ event, rule, target, putAt, receivedAt });
    }
    return matched;
  }

  /** A bus target: the event goes on to the other bus, as it is. */
  private forward(busArn: string, event: EventBridgeEvent): void {
    const bus = this.buses.find((b) => b.arn === busArn);
    if (!bus) throw new TargetDeliveryError('RESOURCE_NOT_FOUND', `Event bus ${busArn} does not exist.`, false);
    this.ingest(bus.name, event, performance.now(), true);
  }

  private runReplay(replay: Replay, archive: EventArchive, bus: EventBusModel): void {
    const started = performance.now();
    const { description } = replay;
    replay.description = { ...description, State: 'RUNNING' };
    const events = archive.between(description.EventStartTime, description.EventEndTime);
    let matched = 0;
    for (const { event } of events) {
      const replayed: EventBridgeEvent = { ...event, 'replay-name': description.ReplayName };
      matched += this.ingest(bus.name, replayed, started, false, description.Destination.FilterArns);
    }
    const last = events.at(-1);
    replay.description = {
      ...replay.description,
      State: 'COMPLETED',
      ...(last ? { EventLastReplayedTime: new Date(Date.parse(last.event.time)) } : {}),
      ReplayEndTime: new Date(this.now()),
    };
    const durationMs = Math.round(performance.now() - started);
    this.log(
      formatPublish({
        busName: bus.name,
        accepted: events.map(({ event }) => ({ source: event.source, detailType: event['detail-type'] })),
        failed: [],
        matchedRules: matched,
        durationMs,
        replayName: description.ReplayName,
      }),
    );
    for (const { event } of events) {
      this.options.onPublished?.({
        busName: bus.name,
        eventId: event.id,
        source: event.source,
        detailType: event['detail-type'],
        putAt: started,
        durationMs,
        replayName: description.ReplayName,
        detail: event.detail,
      });
    }
  }

  private injectedError(entry: PutEventsRequestEntry, alreadyFailed: number): { ErrorCode: string; ErrorMessage: string } | undefined {
    const fault = this.fault?.spec;
    if (!fault || alreadyFailed >= fault.failEntries) return undefined;
    if (fault.detailType !== undefined && entry.DetailType !== fault.detailType) return undefined;
    return {
      ErrorCode: fault.errorCode ?? 'InternalFailure',
      ErrorMessage: 'Injected fault (/_local/eventbridge/faults): this entry was not put on the bus',
    };
  }

  private busError(busName: string): { ErrorCode: string; ErrorMessage: string } | undefined {
    if (this.buses.some((bus) => bus.name === busName)) return undefined;
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
  }

  private bus(name: string): EventBusModel {
    const bus = this.buses.find((b) => b.name === name);
    if (!bus) throw EventBridgeApiError.notFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  private rule(name: string | undefined, busNameOrArn: string | undefined): RuleModel {
    const busName = this.bus(busNameOf(busNameOrArn ?? 'default')).name;
    const rule = this.rules.find((r) => r.name === name && r.busName === busName);
    if (!rule) throw EventBridgeApiError.notFound(`Rule ${name ?? ''} does not exist on EventBus ${busName}.`);
    return rule;
  }

  private archive(name: string | undefined): EventArchive {
    const archive = this.archives.find((a) => a.model.name === name);
    if (!archive) throw EventBridgeApiError.notFound(`Archive ${name ?? ''} does not exist.`);
    return archive;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function describeRule(rule: RuleModel): RuleDescription {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.pattern ? { EventPattern: rule.pattern.source } : {}),
    ...(rule.scheduleExpression ? { ScheduleExpression: rule.scheduleExpression } : {}),
    State: rule.state,
    ...(rule.description ? { Description: rule.description } : {}),
    EventBusName: rule.busName,
  };
}

function describeTarget(target: RuleTargetModel): TargetDescription {
  return {
    Id: target.id,
    Arn: target.arn,
    ...(target.input !== undefined ? { Input: target.input } : {}),
    ...(target.inputPath !== undefined ? { InputPath: target.inputPath } : {}),
    ...(target.inputTransformer
      ? { InputTransformer: { InputPathsMap: target.inputTransformer.inputPathsMap ?? {}, InputTemplate: target.inputTransformer.inputTemplate } }
      : {}),
    RetryPolicy: { MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts, MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeSeconds },
    ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
    ...(target.partitionKeyPath ? { KinesisParameters: { PartitionKeyPath: target.partitionKeyPath } } : {}),
    ...(target.messageGroupId ? { SqsParameters: { MessageGroupId: target.messageGroupId } } : {}),
    ...(target.roleArn ? { RoleArn: target.roleArn } : {}),
  };
}

function describeArchive(archive: EventArchive): ArchiveDescription {
  const { model } = archive;
  return {
    ArchiveName: model.name,
    ArchiveArn: model.arn,
    EventSourceArn: model.sourceArn,
    ...(model.description ? { Description: model.description } : {}),
    ...(model.pattern ? { EventPattern: model.pattern.source } : {}),
    State: 'ENABLED',
    RetentionDays: model.retentionDays ?? 0,
    SizeBytes: archive.size,
    EventCount: archive.eventCount,
    CreationTime: archive.createdAt,
  };
}
