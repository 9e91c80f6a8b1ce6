import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

export const LOGIN_THROTTLERS = ['login-account', 'login-ip'] as const;

/** Tracker per account and address: hammering one account is stopped without locking out an office. */
export function loginAccountTracker(req: Record<string, any>): string {
  const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
  return `${req.ip}|${email}`;
}

/** The throttler guard, used only on the sign-in routes (API and page). */
@Injectable()
export class LoginThrottleGuard extends ThrottlerGuard {}
