import { AsyncLocalStorage } from 'node:async_hooks';
import { Role } from '../auth/roles';
import { ActorType } from '../audit/audit-event.entity';

/** Who is acting: filled by the auth guard, read by audit and services. */
export interface Principal {
  userId: string;
  name: string;
  email: string;
  roles: Role[];
  organisationId: string;
  organisationName: string;
  via: 'session' | 'api_token';
  tokenId?: string;
}

export interface RequestContext {
  requestId: string;
  ip: string | null;
  principal?: Principal;
  /** Set when a service wrote its own audit event, so the generic request audit is skipped. */
  audited?: boolean;
  /** Overrides the actor for flows without a user (supervisor links, jobs). */
  actor?: { type: ActorType; label: string };
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(ctx: RequestContext, fn: () => T): T {
    return storage.run(ctx, fn);
  },
  get(): RequestContext | undefined {
    return storage.getStore();
  },
};
