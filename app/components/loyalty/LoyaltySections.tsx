import { Button, ButtonGroup } from "@shopify/polaris";

const SECTIONS = [
  { id: "overview", label: "Overview", url: "/app/loyalty" },
  { id: "tiers", label: "Tiers", url: "/app/loyalty/tiers" },
  { id: "rewards", label: "Rewards", url: "/app/loyalty/rewards" },
  { id: "customers", label: "Customers", url: "/app/loyalty/customers" },
  { id: "report", label: "Report", url: "/app/loyalty/report" },
] as const;

export type LoyaltySection = (typeof SECTIONS)[number]["id"];

/** The loyalty pages, one click apart. */
export function LoyaltySections({ current }: { current: LoyaltySection }) {
  return (
    <nav aria-label="Loyalty">
      <ButtonGroup variant="segmented">
        {SECTIONS.map((s) => (
          <Button key={s.id} url={s.url} pressed={s.id === current}>
            {s.label}
          </Button>
        ))}
      </ButtonGroup>
    </nav>
  );
}
