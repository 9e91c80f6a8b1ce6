import type { Principal } from '../common/request-context';

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
      requestId?: string;
    }
  }
}

export {};
