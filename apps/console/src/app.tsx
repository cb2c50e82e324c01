import { useEffect, useRef } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { useSession } from './auth/session';
import { ArchivePage } from './pages/archive-page';
import { DashboardPage } from './pages/dashboard-page';
import { DecisionsPage } from './pages/decisions-page';
import { HoldsPage } from './pages/holds-page';
import { InspectionsPage } from './pages/inspections-page';
import { LedgerPage } from './pages/ledger-page';
import { LoginPage } from './pages/login-page';
import { RulesPage } from './pages/rules-page';
import { WhitelistPage } from './pages/whitelist-page';

const SECTIONS: readonly { path: string; label: string }[] = [
  { path: '/dashboard', label: 'Dashboard' },
  { path: '/archive/products', label: 'Archive' },
  { path: '/rules', label: 'Sampling rules' },
  { path: '/decisions', label: 'Decisions' },
  { path: '/whitelist', label: 'Whitelist' },
  { path: '/inspections', label: 'Inspections' },
  { path: '/holds', label: 'Holds and recalls' },
  { path: '/ledger', label: 'Ledger' },
];

/** Moves focus to the page's heading after a client-side navigation, as a page load would. */
function useFocusOnNavigation() {
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector('h1')?.focus();
  }, [location.pathname]);
  return main;
}

export function App() {
  const session = useSession();
  const main = useFocusOnNavigation();
  if (session.checking) return <p className="loading" role="status">Checking your key…</p>;
  if (session.who === null) return <LoginPage />;
  const who = session.who;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="banner">
        <span className="brand">Traceport console</span>
        <div className="who" aria-label="Signed in as">
          {who.role === 'unchecked' ? (
            <span>Signed in (this gateway does not check keys yet)</span>
          ) : (
            <span>
              <strong>{who.organisation?.name ?? 'Unknown organisation'}</strong> · {who.role}
              {who.keyId === null ? '' : ` · key ${who.keyId}`}
              {who.expiresAt === null ? '' : ` · expires ${who.expiresAt.slice(0, 10)}`}
            </span>
          )}
          <button type="button" className="secondary" onClick={() => session.signOut()}>
            Log out
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Main">
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.path}>
              <NavLink to={section.path}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Navigate to="/dashboard" replace />} />
          <Route path="/dashboard" element={<DashboardPage />} />
          <Route path="/archive" element={<Navigate to="/archive/products" replace />} />
          <Route path="/archive/:collection" element={<ArchivePage />} />
          <Route path="/rules" element={<RulesPage />} />
          <Route path="/decisions" element={<DecisionsPage />} />
          <Route path="/whitelist" element={<WhitelistPage />} />
          <Route path="/inspections" element={<InspectionsPage />} />
          <Route path="/holds" element={<HoldsPage />} />
          <Route path="/ledger" element={<LedgerPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </div>
  );
}

function NotFound() {
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        This console has no such page. <NavLink to="/dashboard">Go to the dashboard</NavLink>.
      </p>
    </>
  );
}
