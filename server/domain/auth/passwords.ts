import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { z } from 'zod';

// bcrypt's async API runs on libuv's thread pool, so hashing never blocks the event loop.
export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

const dummyHashes = new Map<number, Promise<string>>();

/** A hash of a random string at the same cost: compared against when the phone is unknown, so timing does not tell. */
export function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hash(randomBytes(16).toString('hex'), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

let estimator: ZxcvbnFactory | null = null;

// zxcvbn and its dictionaries load with the first password checked, not at start.
const load = createRequire(import.meta.url);

/**
 * zxcvbn's score (0-4) from a maintained list of common passwords, names and keyboard patterns;
 * "Passw0rd" and "12345678a" score 0-1. Built lazily: the dictionaries take a moment to load.
 */
export function passwordStrength(password: string): number {
  if (!estimator) {
    const { ZxcvbnFactory: Factory } = load('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = load('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    estimator = new Factory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  }
  return estimator.check(password.slice(0, 72)).score;
}

/** The lowest accepted score: 2 resists an online attack, which the login throttle keeps slow. */
export const MIN_PASSWORD_SCORE = 2;

/** bcrypt reads at most 72 bytes; longer passwords would be silently truncated. */
export const passwordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'must be at most 72 bytes')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), 'must contain letters and digits')
  .refine((p) => passwordStrength(p) >= MIN_PASSWORD_SCORE, 'is too common or too easy to guess');
