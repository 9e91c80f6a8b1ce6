import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { ActionPurpose, ActionToken } from './action-token.entity';

export type TokenCheck =
  | { ok: true; token: ActionToken }
  | { ok: false; reason: 'unknown' | 'expired' | 'used'; token?: ActionToken };

const hash = (t: string) => createHash('sha256').update(t).digest('hex');

/** Single-use, expiring, purpose-bound links for people without an account. */
@Injectable()
export class ActionTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A new token (256 random bits) bound to one subject and purpose; returns the token once. */
  async issue(
    m: EntityManager,
    purpose: ActionPurpose,
    subjectId: string,
    ttlDays: number,
    recipientId: string | null = null,
  ): Promise<{ token: string; row: ActionToken }> {
    const token = randomBytes(32).toString('base64url');
    const row = m.getRepository(ActionToken).create({
      purpose,
      subjectId,
      tokenHash: hash(token),
      expiresAt: new Date(this.clock.now().getTime() + ttlDays * 86_400_000),
      usedAt: null,
      recipientId,
      // From the injected clock, like every other time here (tests move it).
      createdAt: this.clock.now(),
    });
    await m.getRepository(ActionToken).save(row);
    return { token, row };
  }

  /** Looks a token up for a purpose without using it (the GET page). */
  async check(
    token: string,
    purpose: ActionPurpose,
    m: EntityManager = this.db.manager,
    lock = false,
  ): Promise<TokenCheck> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
      return { ok: false, reason: 'unknown' };
    }
    const row = await m.getRepository(ActionToken).findOne({
      where: { tokenHash: hash(token), purpose },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!row) {
      return { ok: false, reason: 'unknown' };
    }
    if (row.usedAt) {
      return { ok: false, reason: 'used', token: row };
    }
    if (row.expiresAt <= this.clock.now()) {
      return { ok: false, reason: 'expired', token: row };
    }
    return { ok: true, token: row };
  }

  /** Uses a token in the caller's transaction (row lock: a double submit uses it once). */
  async consume(m: EntityManager, token: string, purpose: ActionPurpose): Promise<TokenCheck> {
    const c = await this.check(token, purpose, m, true);
    if (c.ok) {
      c.token.usedAt = this.clock.now();
      await m.getRepository(ActionToken).save(c.token);
    }
    return c;
  }

  /** Open tokens for a subject (e.g. to know whether a reminder is due). */
  async openFor(purpose: ActionPurpose, subjectId: string): Promise<ActionToken[]> {
    return this.db
      .getRepository(ActionToken)
      .find({ where: { purpose, subjectId }, order: { createdAt: 'DESC' } });
  }
}
