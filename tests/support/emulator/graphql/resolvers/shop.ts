import type { ResolverMap } from "../context.js";
import { shopView } from "./common.js";

export const shopResolvers: ResolverMap = {
  "QueryRoot.shop": (_s, _a, ctx) => shopView(ctx.state),
  "Shop.contactEmail": (shop: { email: string }) => shop.email,
  "Shop.url": (shop: { domain: string }) => `https://${shop.domain}`,
  "Shop.myshopifyDomain": (shop: { domain: string }) => shop.domain,
  "Shop.primaryDomain": (shop: { domain: string; id: string }) => ({
    __typename: "Domain",
    id: shop.id,
    host: shop.domain,
    url: `https://${shop.domain}`,
    sslEnabled: true,
  }),
  "Shop.enabledPresentmentCurrencies": (shop: { currencyCode: string }) => [shop.currencyCode],
  "Shop.timezoneAbbreviation": (shop: { ianaTimezone: string }) =>
    new Intl.DateTimeFormat("en-US", { timeZone: shop.ianaTimezone, timeZoneName: "short" }).formatToParts(new Date()).find((p) => p.type === "timeZoneName")
      ?.value ?? "UTC",
  "Shop.currencyFormats": (shop: { currencyCode: string }) => {
    const symbol = shop.currencyCode === "EUR" ? "€" : shop.currencyCode === "USD" ? "$" : shop.currencyCode;
    return {
      moneyFormat: `${symbol}{{amount}}`,
      moneyInEmailsFormat: `${symbol}{{amount}}`,
      moneyWithCurrencyFormat: `${symbol}{{amount}} ${shop.currencyCode}`,
      moneyWithCurrencyInEmailsFormat: `${symbol}{{amount}} ${shop.currencyCode}`,
    };
  },
};
