import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { transactionCancellation } from '../../shared/aws/dynamodb-errors';
import type { Reservation, ReservationLine } from '../domain/reservation';
import type { ReleaseOutcome, ReservationStore, ReserveOutcome } from '../domain/reservation-store';

/** Cancellation codes that mean "try again": another transaction held an item, or the table was throttled. */
const CONTENTION_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

export interface ReservationTables {
  /** Stock levels: key `sku`, attribute `available` (N). */
  readonly stock: string;
  /** Reservations: key `orderId`. */
  readonly reservations: string;
}

function toReservation(item: Record<string, unknown>): Reservation {
  const lines = (item.lines as ReservationLine[]).map((line) => ({ sku: line.sku, quantity: Number(line.quantity) }));
  return {
    orderId: String(item.orderId),
    lines,
    status: item.status === 'RELEASED' ? 'RELEASED' : 'RESERVED',
    createdAt: String(item.createdAt),
    ...(item.releasedAt === undefined ? {} : { releasedAt: String(item.releasedAt) }),
  };
}

/** Reservations and stock in DynamoDB, each change one TransactWriteItems. */
export class DynamoDbReservationStore implements ReservationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: ReservationTables,
  ) {}

  /**
   * Items 0..n-1 take each line off its stock under `available >= :q`; item n puts the reservation under
   * `attribute_not_exists(orderId)`. A cancelled transaction's reasons come back in the same order.
   */
  async reserve(reservation: Reservation): Promise<ReserveOutcome> {
    const stockUpdates = reservation.lines.map((line) => ({
      Update: {
        TableName: this.tables.stock,
        Key: { sku: line.sku },
        UpdateExpression: 'SET available = available - :q',
        ConditionExpression: 'attribute_exists(sku) AND available >= :q',
        ExpressionAttributeValues: { ':q': line.quantity },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    }));
    const putReservation = {
      Put: {
        TableName: this.tables.reservations,
        Item: { ...reservation },
        ConditionExpression: 'attribute_not_exists(orderId)',
      },
    };
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [...stockUpdates, putReservation] }));
      return { kind: 'reserved' };
    } catch (error) {
      const cancellation = transactionCancellation(error);
      if (cancellation === undefined) throw error;
      const { reasons } = cancellation;
      if (reasons[reservation.lines.length]?.code === 'ConditionalCheckFailed') return { kind: 'already-exists' };
      if (reasons.some((reason) => CONTENTION_CODES.has(reason.code))) return { kind: 'contention' };
      const failed = reservation.lines
        .map((_line, index) => ({ index, reason: reasons[index] }))
        .filter(({ reason }) => reason?.code === 'ConditionalCheckFailed');
      if (failed.length === 0) throw error;
      // ALL_OLD returns the stock item when it exists; no item means the sku has no stock record.
      const unknown = failed.filter(({ reason }) => reason?.item === undefined).map(({ index }) => index);
      if (unknown.length > 0) return { kind: 'unknown-sku', indexes: unknown };
      return {
        kind: 'insufficient-stock',
        lines: failed.map(({ index, reason }) => ({ index, available: Number(reason?.item?.available ?? 0) })),
      };
    }
  }

  async find(orderId: string): Promise<Reservation | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tables.reservations, Key: { orderId }, ConsistentRead: true }),
    );
    return out.Item === undefined ? undefined : toReservation(out.Item);
  }

  /** Item 0 flips the reservation to RELEASED under `#s = :reserved`; items 1..n add each line back to stock. */
  async release(reservation: Reservation, releasedAt: string): Promise<ReleaseOutcome> {
    const markReleased = {
      Update: {
        TableName: this.tables.reservations,
        Key: { orderId: reservation.orderId },
        UpdateExpression: 'SET #s = :released, releasedAt = :now',
        ConditionExpression: '#s = :reserved',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':released': 'RELEASED', ':reserved': 'RESERVED', ':now': releasedAt },
      },
    };
    const restock = reservation.lines.map((line) => ({
      Update: {
        TableName: this.tables.stock,
        Key: { sku: line.sku },
        UpdateExpression: 'ADD available :q',
        ExpressionAttributeValues: { ':q': line.quantity },
      },
    }));
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [markReleased, ...restock] }));
      return { kind: 'released' };
    } catch (error) {
      const cancellation = transactionCancellation(error);
      if (cancellation === undefined) throw error;
      if (cancellation.reasons[0]?.code === 'ConditionalCheckFailed') return { kind: 'not-reserved' };
      if (cancellation.reasons.some((reason) => CONTENTION_CODES.has(reason.code))) return { kind: 'contention' };
      throw error;
    }
  }
}
