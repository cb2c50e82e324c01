import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiProblem, setUnauthorizedHandler, storedKey, storeKey } from '../api/client';
import type { Whoami } from '../api/types';

// Who is signed in: the API key the user pasted (kept in sessionStorage, so it goes with the tab)
// and what the gateway says it is (GET /v1/auth/whoami).

export interface Session {
  readonly who: Whoami | null;
  /** True while a stored key is being checked at start-up. */
  readonly checking: boolean;
  signIn(key: string): Promise<void>;
  signOut(reason?: string): void;
  readonly notice: string | null;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Asks the gateway who the key is. A gateway without access control yet has no whoami route (404):
 * then the key is kept and sent anyway, and the console says that keys are not checked.
 */
async function whoami(key: string): Promise<Whoami> {
  try {
    return await api<Whoami>('/v1/auth/whoami', { key });
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return { keyId: null, role: 'unchecked', organisation: null, expiresAt: null };
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [who, setWho] = useState<Whoami | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback((reason?: string) => {
    storeKey(null);
    setWho(null);
    setNotice(reason ?? null);
  }, []);

  const signIn = useCallback(async (key: string) => {
    const found = await whoami(key.trim());
    storeKey(key.trim());
    setNotice(null);
    setWho(found);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => signOut('Your key was refused (expired or revoked): sign in again.'));
    const key = storedKey();
    if (key === null) return;
    whoami(key).then(
      (found) => setWho(found),
      () => signOut('Your stored key is no longer accepted: sign in again.'),
    ).finally(() => setChecking(false));
  }, [signOut]);

  const session = useMemo(() => ({ who, checking, signIn, signOut, notice }), [who, checking, signIn, signOut, notice]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}
