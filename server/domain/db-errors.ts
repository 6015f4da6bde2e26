type DriverError = { code?: string; constraint_name?: string; constraint?: string; message?: string; cause?: unknown };

/** The database's error with SQLSTATE `code`, on either driver: the error itself or one of its causes (drizzle wraps the driver's). */
function withSqlState(err: unknown, code: string): DriverError | null {
  for (let e = err as DriverError | undefined, depth = 0; e && depth < 4; e = e.cause as DriverError | undefined, depth++) {
    if (e.code === code) return e;
  }
  return null;
}

/** The constraint a unique violation (SQLSTATE 23505) hit, on either driver, else null. */
export function uniqueViolation(err: unknown): string | null {
  const x = withSqlState(err, '23505');
  return x && (x.constraint_name ?? x.constraint ?? /"([^"]+)"/.exec(x.message ?? '')?.[1] ?? '');
}

/** Whether a statement was cancelled by its statement_timeout (SQLSTATE 57014), on either driver. */
export function statementTimedOut(err: unknown): boolean {
  return withSqlState(err, '57014') !== null;
}
