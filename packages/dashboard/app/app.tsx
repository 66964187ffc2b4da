import type { ComponentType } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { Link } from "./components/link";
import { ErrorAlert } from "./components/notices";
import { fetchSession, messageOf, rememberSession, signOut } from "./lib/api";
import { type AppLocation, matchRoute, type Route, useLocation } from "./lib/router";
import type { Session } from "./lib/types";

/** What every page gets. */
export interface PageProps {
  route: Route;
  location: AppLocation;
  session: Session;
}

type PageModule = { default: ComponentType<PageProps> };

// One chunk per page, loaded on first visit: the first load is the shell only.
const PAGES: Record<Exclude<Route["page"], "not-found">, () => Promise<PageModule>> = {
  connections: () => import("./pages/connections"),
  triggers: () => import("./pages/triggers"),
  runs: () => import("./pages/runs"),
  run: () => import("./pages/run"),
  workflows: () => import("./pages/workflows"),
  builder: () => import("./pages/builder"),
};
const loaded = new Map<string, ComponentType<PageProps>>();

const NAV = [
  { href: "/connections", label: "Connections", pages: ["connections"] },
  { href: "/workflows", label: "Workflows", pages: ["workflows", "builder"] },
  { href: "/triggers", label: "Triggers", pages: ["triggers"] },
  { href: "/runs", label: "Runs", pages: ["runs", "run"] },
] as const;

/** The app: the session first, then the header and the page the location names. */
export function App() {
  // `undefined` while asking, `null` when signed out.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<string>();

  useEffect(() => {
    fetchSession().then(setSession, (thrown: unknown) => setError(messageOf(thrown)));
  }, []);

  if (error) {
    return (
      <main id="main" class="page">
        <h1>AutoFlow</h1>
        <ErrorAlert message={error} />
      </main>
    );
  }
  if (session === undefined) {
    return (
      <main id="main" class="page">
        <p class="muted">Loading…</p>
      </main>
    );
  }
  if (session === null) return <SignedOut />;
  rememberSession(session, () => setSession(null));
  return <SignedIn session={session} onSignedOut={() => setSession(null)} />;
}

function SignedOut() {
  useEffect(() => {
    document.title = "Signed out · AutoFlow";
  }, []);
  return (
    <main id="main" class="page page-narrow">
      <h1>Sign in to AutoFlow</h1>
      <p>You are not signed in.</p>
      <p>
        Open the sign-in link that <code>autoflow serve</code> printed when it started, or run{" "}
        <code>autoflow token --sign-in</code> for a new one. The link signs this browser in and brings you
        back here.
      </p>
    </main>
  );
}

function SignedIn({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const location = useLocation();
  const route = matchRoute(location.path);
  const heading = useRef<HTMLHeadingElement>(null);
  const previousPath = useRef(location.path);
  const [signOutError, setSignOutError] = useState<string>();

  // Before paint: the new page shows with its heading focused, never with the focus left on the link that led there.
  useLayoutEffect(() => {
    document.title = `${route.title} · AutoFlow`;
    // A navigation (not the first render, not a query change) moves focus to the new page's heading.
    if (previousPath.current !== location.path) {
      previousPath.current = location.path;
      heading.current?.focus();
      window.scrollTo(0, 0);
    }
  }, [location.path, route.title]);

  const onSignOut = async () => {
    try {
      await signOut();
      onSignedOut();
    } catch (thrown) {
      setSignOutError(messageOf(thrown));
    }
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <div class="site-header-inner">
          <span class="brand">AutoFlow</span>
          <nav aria-label="Main">
            <ul class="nav-list">
              {NAV.map((item) => (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    class="nav-link"
                    aria-current={(item.pages as readonly string[]).includes(route.page) ? "page" : undefined}
                  >
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div class="user">
            <span>
              Signed in as <strong>{session.userId}</strong>
            </span>
            <button type="button" class="button button-quiet" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" class="page">
        <h1 ref={heading} tabIndex={-1}>
          {route.title}
        </h1>
        <ErrorAlert message={signOutError} />
        {route.page === "not-found" ? (
          <p>
            There is no page at <code>{location.path}</code>.{" "}
            <Link href="/connections">Go to connections</Link>.
          </p>
        ) : (
          <LazyPage
            key={route.page}
            load={PAGES[route.page]}
            name={route.page}
            props={{ route, location, session }}
          />
        )}
      </main>
    </>
  );
}

function LazyPage({
  load,
  name,
  props,
}: {
  load: () => Promise<PageModule>;
  name: string;
  props: PageProps;
}) {
  const [Page, setPage] = useState<ComponentType<PageProps> | undefined>(() => loaded.get(name));
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (Page) return;
    let live = true;
    load().then(
      (module) => {
        loaded.set(name, module.default);
        if (live) setPage(() => module.default);
      },
      (thrown: unknown) =>
        live && setError(`This page could not be loaded (${messageOf(thrown)}): reload to try again.`),
    );
    return () => {
      live = false;
    };
  }, [Page, load, name]);
  if (error) return <ErrorAlert message={error} />;
  if (!Page) return <p class="muted">Loading…</p>;
  return <Page {...props} />;
}
