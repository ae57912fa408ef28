import { gqlAmount, moneyV2 } from "../../money.js";
import type { ProductRecord, VariantRecord } from "../../store.js";
import type { ResolverContext, ResolverMap } from "../context.js";
import { paginate, searchFilter, sortBy, type ConnectionArgs, type SearchFields } from "../connection.js";
import { count, requireGid } from "./common.js";

type VariantView = VariantRecord & { product: ProductRecord };

function productSearchFields(): SearchFields<ProductRecord> {
  return {
    default: (p) => [p.title, p.vendor, p.productType, ...p.tags],
    id: (p) => p.id,
    title: (p) => p.title,
    handle: (p) => p.handle,
    vendor: (p) => p.vendor,
    product_type: (p) => p.productType,
    tag: (p) => p.tags,
    status: (p) => p.status.toLowerCase(),
    sku: (p) => p.variants.map((v) => v.sku ?? ""),
    created_at: (p) => p.createdAt,
    updated_at: (p) => p.updatedAt,
    published_at: (p) => p.publishedAt,
  };
}

function sortProducts(list: ProductRecord[], sortKey: string | null | undefined): ProductRecord[] {
  switch (sortKey) {
    case "TITLE":
      return sortBy(list, (p) => p.title.toLowerCase());
    case "CREATED_AT":
      return sortBy(list, (p) => p.createdAt);
    case "UPDATED_AT":
      return sortBy(list, (p) => p.updatedAt);
    case "VENDOR":
      return sortBy(list, (p) => p.vendor);
    case "PRODUCT_TYPE":
      return sortBy(list, (p) => p.productType);
    default:
      return sortBy(list);
  }
}

const variantView =
  (product: ProductRecord) =>
  (v: VariantRecord): VariantView => ({ ...v, product });

function priceRange(p: ProductRecord, ctx: ResolverContext) {
  const prices = p.variants.map((v) => v.priceMinor);
  const min = prices.length ? Math.min(...prices) : 0;
  const max = prices.length ? Math.max(...prices) : 0;
  return { minVariantPrice: moneyV2(min, ctx.state.shop.currencyCode), maxVariantPrice: moneyV2(max, ctx.state.shop.currencyCode) };
}

export const productResolvers: ResolverMap = {
  "QueryRoot.product": (_s, args: { id: string }, ctx) => {
    const { type, id } = requireGid(args.id);
    return type === "Product" ? (ctx.state.products.get(id) ?? null) : null;
  },
  "QueryRoot.products": (_s, args: ConnectionArgs & { query?: string; sortKey?: string }, ctx) => {
    const filter = searchFilter(args.query, productSearchFields());
    return paginate(sortProducts([...ctx.state.products.values()].filter(filter), args.sortKey), args, (p) => p.id, { bulk: ctx.bulk });
  },
  "QueryRoot.productsCount": (_s, args: { query?: string }, ctx) =>
    count([...ctx.state.products.values()].filter(searchFilter(args.query, productSearchFields())).length),
  "QueryRoot.productVariant": (_s, args: { id: string }, ctx) => {
    const { type, id } = requireGid(args.id);
    if (type !== "ProductVariant") return null;
    for (const p of ctx.state.products.values()) {
      const v = p.variants.find((x) => x.id === id);
      if (v) return variantView(p)(v);
    }
    return null;
  },
  "QueryRoot.productVariants": (_s, args: ConnectionArgs & { query?: string }, ctx) => {
    const all = [...ctx.state.products.values()].flatMap((p) => p.variants.map(variantView(p)));
    const filter = searchFilter<VariantView>(args.query, {
      default: (v) => [v.title, v.sku ?? ""],
      sku: (v) => v.sku,
      product_id: (v) => v.productId,
      title: (v) => v.title,
    });
    return paginate(sortBy(all.filter(filter)), args, (v) => v.id, { bulk: ctx.bulk });
  },
  "Product.description": (p: ProductRecord, args: { truncateAt?: number }) => {
    const text = p.descriptionHtml.replace(/<[^>]*>/g, "").trim();
    return args.truncateAt && text.length > args.truncateAt ? `${text.slice(0, args.truncateAt - 1)}…` : text;
  },
  "Product.onlineStoreUrl": (p: ProductRecord, _a, ctx) =>
    p.status === "ACTIVE" && p.publishedAt ? `https://${ctx.state.shop.domain}/products/${p.handle}` : null,
  "Product.onlineStorePreviewUrl": (p: ProductRecord, _a, ctx) => `https://${ctx.state.shop.domain}/products/${p.handle}`,
  "Product.variants": (p: ProductRecord, args: ConnectionArgs, ctx) => paginate(p.variants.map(variantView(p)), args, (v) => v.id, { bulk: ctx.bulk }),
  "Product.variantsCount": (p: ProductRecord) => count(p.variants.length),
  "Product.hasOnlyDefaultVariant": (p: ProductRecord) => p.variants.length === 1 && p.variants[0]?.title === "Default Title",
  "Product.totalInventory": (p: ProductRecord) => p.variants.reduce((s, v) => s + v.inventoryQuantity, 0),
  "Product.tracksInventory": () => true,
  "Product.priceRangeV2": (p: ProductRecord, _a, ctx) => priceRange(p, ctx),
  "Product.priceRange": (p: ProductRecord, _a, ctx) => priceRange(p, ctx),
  "Product.featuredImage": (p: ProductRecord) =>
    p.imageUrl ? { id: `gid://shopify/ProductImage/${p.id}`, url: p.imageUrl, altText: p.title, width: 1024, height: 1024 } : null,
  "Product.featuredMedia": (p: ProductRecord) =>
    p.imageUrl
      ? {
          __typename: "MediaImage",
          id: `gid://shopify/MediaImage/${p.id}`,
          alt: p.title,
          mediaContentType: "IMAGE",
          status: "READY",
          image: { url: p.imageUrl, altText: p.title, width: 1024, height: 1024 },
          preview: { image: { url: p.imageUrl } },
        }
      : null,
  "Product.seo": (p: ProductRecord) => ({ title: p.title, description: null }),
  "ProductVariant.price": (v: VariantView, _a, ctx) => gqlAmount(v.priceMinor, ctx.state.shop.currencyCode),
  "ProductVariant.compareAtPrice": (v: VariantView, _a, ctx) => (v.compareAtMinor == null ? null : gqlAmount(v.compareAtMinor, ctx.state.shop.currencyCode)),
  "ProductVariant.displayName": (v: VariantView) => `${v.product.title} - ${v.title}`,
  "ProductVariant.position": (v: VariantView) => v.product.variants.findIndex((x) => x.id === v.id) + 1,
  "ProductVariant.availableForSale": (v: VariantView) => v.product.status === "ACTIVE" && v.inventoryQuantity > 0,
  "ProductVariant.sellableOnlineQuantity": (v: VariantView) => v.inventoryQuantity,
  "ProductVariant.taxable": () => true,
  "ProductVariant.selectedOptions": (v: VariantView) => [{ name: "Title", value: v.title }],
};
