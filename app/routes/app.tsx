import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { appConfig } from "~/config.server";
import { authenticate } from "~/shopify/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { apiKey: appConfig.apiKey, appBridgeUrl: appConfig.appBridgeUrl, sandbox: appConfig.sandboxSignIn };
};

export default function App() {
  const { apiKey, appBridgeUrl, sandbox } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Afterglow
        </Link>
        <Link to="/app">Dashboard</Link>
        <Link to="/app/analytics">Analytics</Link>
        <Link to="/app/flows">Flows</Link>
        <Link to="/app/loyalty">Loyalty</Link>
        <Link to="/app/reviews">Reviews</Link>
        <Link to="/app/mail">Mail outbox</Link>
        <Link to="/app/referrals">Referrals</Link>
        <Link to="/app/challenges">Challenges</Link>
        <Link to="/app/activity">Activity</Link>
        <Link to="/app/privacy">Privacy</Link>
        {sandbox && <Link to="/app/sandbox">Sandbox shop</Link>}
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
