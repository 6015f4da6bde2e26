/** The constraint a unique violation (SQLSTATE 23505) hit, on either driver, else null. */
export function uniqueViolation(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { code?: string; constraint_name?: string; constraint?: string; message?: string };
    if (x.code === '23505') return x.constraint_name ?? x.constraint ?? /"([^"]+)"/.exec(x.message ?? '')?.[1] ?? '';
  }
  return null;
}

/** Whether a statement was cancelled by its statement_timeout (SQLSTATE 57014), on either driver. */
export function statementTimedOut(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: string }).code === '57014') return true;
  }
  return false;
}
