// Who is signed in, as last told by GET /api/me or POST /api/login. Loaded once at start
// and refreshed after login, logout and verification; the top bar listens for changes.
// Example: const user = await session.load(); if (!user) navigate('/login');

import { api, type User } from './api';
import { ApiError } from './errors';

type Listener = (user: User | null) => void;

class Session {
  private user_: User | null = null;
  private loaded_ = false;
  private pending_: Promise<User | null> | null = null;
  private listeners_ = new Set<Listener>();

  get user(): User | null {
    return this.user_;
  }

  get loaded(): boolean {
    return this.loaded_;
  }

  // The current user, asking the server only the first time (or when `force`).
  // A network failure propagates: the caller shows it instead of pretending "logged out".
  load(force = false): Promise<User | null> {
    if (this.loaded_ && !force) return Promise.resolve(this.user_);
    this.pending_ ??= api
      .me()
      .then(
        (r) => r.user,
        (e: unknown) => {
          if (e instanceof ApiError && e.status === 401) return null;
          throw e;
        },
      )
      .then((user) => {
        this.set(user);
        return user;
      })
      .finally(() => {
        this.pending_ = null;
      });
    return this.pending_;
  }

  set(user: User | null): void {
    this.user_ = user;
    this.loaded_ = true;
    for (const l of this.listeners_) l(user);
  }

  subscribe(listener: Listener): () => void {
    this.listeners_.add(listener);
    return () => this.listeners_.delete(listener);
  }
}

export const session = new Session();
