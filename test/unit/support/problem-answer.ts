import type { APIGatewayProxyResult } from 'aws-lambda';
import { ProblemError } from '../../../lambdas/shared/errors';
import { problemResponse } from '../../../lambdas/shared/http/problem-response';

/** The response a handler answers for the problem `outcome` rejects with; throws when it resolves or rejects otherwise. */
export async function problemAnswerTo(outcome: Promise<unknown>): Promise<APIGatewayProxyResult> {
  try {
    await outcome;
  } catch (error) {
    if (error instanceof ProblemError) return problemResponse(error);
    throw error;
  }
  throw new Error('expected a rejection with a problem, and it resolved');
}
