// The empty state of every admin list. Not Polaris's EmptyState: it shows a grey placeholder over its heading
// until its image's load event reaches React, and in a server-rendered page the image may load before
// hydration, so the placeholder stayed. Here the illustration is inline and plain.
import { BlockStack, Box, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

// A small afterglow: a sun setting behind a horizon, in Polaris's subdued greys and the app's warm accent.
const ILLUSTRATION = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 64" width="120" height="64">' +
    '<circle cx="60" cy="44" r="26" fill="#f6d7a7"/><circle cx="60" cy="44" r="17" fill="#e4a11b"/>' +
    '<rect x="0" y="44" width="120" height="20" fill="#fff"/><rect x="10" y="44" width="100" height="3" rx="1.5" fill="#c9cccf"/>' +
    '<rect x="30" y="53" width="60" height="3" rx="1.5" fill="#e1e3e5"/></svg>',
)}`;

export function EmptyCard({ heading, children }: { heading: string; children?: ReactNode }) {
  return (
    <Box paddingBlock="800" paddingInline="400">
      <BlockStack gap="300" inlineAlign="center">
        <img src={ILLUSTRATION} alt="" width={120} height={64} />
        <Text as="h2" variant="headingMd" alignment="center">
          {heading}
        </Text>
        {children && (
          <Box maxWidth="30rem">
            <Text as="p" tone="subdued" alignment="center">
              {children}
            </Text>
          </Box>
        )}
      </BlockStack>
    </Box>
  );
}
