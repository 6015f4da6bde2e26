import { eq } from 'drizzle-orm';
import { users } from '../../../schema';
import type { Executor } from '../../db';
import { decrypt, encrypt, keyedDigest } from './crypto';
import { maskIdNumber } from '../validation';

export type UserRow = typeof users.$inferSelect;

/** Columns to store for an ID number: ciphertext, keyed digest, masked form. */
export function idNumberColumns(dataKey: Buffer, idNumber: string) {
  return {
    idNumberEnc: encrypt(dataKey, idNumber),
    idNumberDigest: keyedDigest(dataKey, idNumber),
    idNumberMasked: maskIdNumber(idNumber),
  };
}

export function revealIdNumber(dataKey: Buffer, user: Pick<UserRow, 'idNumberEnc'>): string | null {
  return user.idNumberEnc ? decrypt(dataKey, user.idNumberEnc) : null;
}

export async function findUserByPhone(db: Executor, phone: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.phone, phone)).limit(1);
  return row;
}

/** Inserts an account created by an admin (mediator, organisation admin, grid worker); phone must be new. */
export async function insertStaffAccount(
  tx: Executor,
  values: { phone: string; passwordHash: string; name: string; role: UserRow['role']; organizationId: string; now: Date },
): Promise<UserRow> {
  const [user] = await tx
    .insert(users)
    .values({
      phone: values.phone,
      passwordHash: values.passwordHash,
      name: values.name,
      role: values.role,
      organizationId: values.organizationId,
      createdAt: values.now,
      updatedAt: values.now,
    })
    .returning();
  return user!;
}
