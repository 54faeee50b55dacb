import type { HttpResult } from './shop';

/**
 * `res` is an `application/problem+json` answer with `status`, which its document repeats; with `field`, the first
 * error it lists names that field.
 */
export function expectProblem(res: HttpResult, status: number, field?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.json.status).toBe(status);
  if (field !== undefined) expect(res.json.errors?.[0].field).toBe(field);
}
