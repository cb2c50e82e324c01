import { useState, type FormEvent } from 'react';
import { messageOf } from '../api/client';
import { useSession } from '../auth/session';

export function LoginPage() {
  const session = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(key);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="login">
      <h1>Traceport console</h1>
      <p>Sign in with your API key. It is kept in this browser tab only, until you log out or close the tab.</p>
      {session.notice === null ? null : (
        <p className="notice" role="status">
          {session.notice}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} aria-describedby={error === null ? undefined : 'login-error'}>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-invalid={error !== null}
        />
        {error === null ? null : (
          <p id="login-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint">
        For the local demo, <code>./traceport admin-key</code> prints the bootstrap admin key.
      </p>
    </main>
  );
}
