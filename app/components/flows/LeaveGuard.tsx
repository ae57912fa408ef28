// Unsaved changes outside the Shopify admin (where App Bridge's save bar guards the page): asks before a
// navigation inside the app leaves the editor, and lets the browser ask before a reload or close.
import { useBlocker } from "@remix-run/react";
import { Banner, Layout } from "@shopify/polaris";
import { useEffect } from "react";

export function LeaveGuard({ dirty }: { dirty: boolean }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);

  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [dirty]);

  if (blocker.state !== "blocked") return null;
  return (
    <Layout.Section>
      <Banner
        tone="warning"
        title="Leave without saving?"
        action={{ content: "Leave", onAction: () => blocker.proceed() }}
        secondaryAction={{ content: "Stay", onAction: () => blocker.reset() }}
      >
        <p>Your changes to this flow are not saved yet.</p>
      </Banner>
    </Layout.Section>
  );
}
