import { Banner, BlockStack, DataTable, Text } from "@shopify/polaris";
import type { TierPreview } from "~/loyalty/admin-tiers";
import { count } from "./format";

/** What saving the edited rules would do to the shop's customers. */
export function TierPreviewCard({ preview, names, saved }: { preview: TierPreview; names: Record<string, string>; saved: boolean }) {
  // No tier, the tiers as edited (lowest first), then tiers being removed that customers hold now.
  const handles = [...new Set(["", ...Object.keys(names), ...Object.keys(preview.before), ...Object.keys(preview.after)])];
  const label = (h: string) => (h === "" ? "No tier" : (names[h] ?? h));
  const title = saved
    ? `Saved: ${count(preview.up)} customers move up, ${count(preview.down)} move down`
    : `If you save: ${count(preview.up)} customers move up, ${count(preview.down)} move down`;
  return (
    <Banner tone={preview.down > 0 ? "warning" : "info"} title={title}>
      <BlockStack gap="200">
        <Text as="p">
          {count(preview.unchanged)} of {count(preview.customers)} customers stay where they are
          {preview.keptByPolicy > 0 ? `, ${count(preview.keptByPolicy)} of them keeping a higher tier for now under the downgrade rule` : ""}.
          {saved ? " Customers are being moved now; their tier tags in Shopify follow." : ""}
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric"]}
          headings={["Tier", "Customers now", "After saving"]}
          rows={handles.map((h) => [label(h), count(preview.before[h] ?? 0), count(preview.after[h] ?? 0)])}
        />
      </BlockStack>
    </Banner>
  );
}
